-- Headless Neovim (Debian's package, 0.7) attaches `vsconf lsp` to a config and writes the diagnostics
-- it received as JSON. Run by tests/lsp/main.rs with VSCONF, VSCONF_NVIM_FILE and VSCONF_NVIM_OUT set.
local file = os.getenv("VSCONF_NVIM_FILE")
local out = os.getenv("VSCONF_NVIM_OUT")
vim.cmd("edit " .. vim.fn.fnameescape(file))
local id = vim.lsp.start_client({
  name = "vsconf",
  cmd = { os.getenv("VSCONF"), "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
})
local attached = id ~= nil and vim.lsp.buf_attach_client(0, id)
local received = vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
local result = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(result, {
    lnum = d.lnum,
    col = d.col,
    severity = d.severity,
    message = d.message,
    source = d.source or lsp.source or "",
    code = d.code or lsp.code or "",
  })
end
local f = io.open(out, "w")
f:write(vim.fn.json_encode({ attached = attached, received = received, diagnostics = result }))
f:close()
if id then
  vim.lsp.stop_client(id)
end
vim.cmd("qall!")
