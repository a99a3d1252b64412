#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: vsconf developers. MIT OR Apache-2.0.
"""Ansible module vsconf.vsftpd.lint: lint a vsftpd config on the managed host with vsconf."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: lint
short_description: Lint a vsftpd config with vsconf (works in check mode)
version_added: "0.1.0"
description:
  - Runs C(vsconf lint --format json) on the managed host and returns vsftpd's startup verdict and every
    finding as structured data.
  - Read-only, so it runs in check mode too, unlike Ansible's C(validate:), which check mode skips.
  - Fails the host when vsftpd would refuse to start or crash, or when a finding of severity I(fail_on)
    or worse is reported.
options:
  path:
    description:
      - The config file on the managed host. With I(content), the name findings show and the file whose
        owner and mode C(--host-checks) inspects.
    type: path
  content:
    description:
      - Config text to lint instead of a file, e.g. C("{{ lookup('template', 'vsftpd.conf.j2') }}") to
        check a template before it is deployed.
    type: str
  dialect:
    description:
      - The vsftpd build to model (C(vsconf lint --dialect)). C(auto) lets vsconf detect the build
        installed on the host (dpkg/rpm, C(vsftpd -v), os-release); C(all) lints for every build.
    type: str
    default: auto
  host_checks:
    description:
      - Also check the machine (C(--host-checks)) - config owner, certificates, users, directories, DNS.
    type: bool
    default: true
  fail_on:
    description:
      - The least severity that fails the host. C(never) only reports.
    type: str
    choices: [error, warning, never]
    default: error
  select:
    description: Run only these rules (codes, names or categories).
    type: list
    elements: str
    default: []
  ignore:
    description: Switch these rules off (codes, names or categories).
    type: list
    elements: str
    default: []
  settings:
    description:
      - A vsconf.toml on the managed host. Without it no vsconf.toml is read (C(--no-config)).
    type: path
  executable:
    description: The vsconf binary.
    type: path
    default: vsconf
notes:
  - Supports check mode; never changes anything (C(changed) is always false).
author:
  - vsconf developers
"""

EXAMPLES = r"""
- name: Lint the deployed config
  vsconf.vsftpd.lint:
    path: /etc/vsftpd.conf

- name: Lint a template before deploying it (runs under --check too)
  vsconf.vsftpd.lint:
    content: "{{ lookup('template', 'vsftpd.conf.j2') }}"
    path: /etc/vsftpd.conf

- name: Report only
  vsconf.vsftpd.lint:
    path: /etc/vsftpd.conf
    fail_on: never
  register: lint
"""

RETURN = r"""
verdict:
  description: What vsftpd does with the file - starts, refuses or crashes.
  returned: always
  type: str
  sample: refuses
message:
  description: The C(500 OOPS) text vsftpd prints when it refuses to start, else null.
  returned: always
  type: str
  sample: "500 OOPS: unrecognised variable in config file: Listen_port"
findings:
  description: Every finding, as C(vsconf lint --format json) reports it.
  returned: always
  type: list
  elements: dict
  sample: [{"code": "VSC101", "rule": "pasv-range-unset", "severity": "warning", "line": 3, "column": 1,
            "message": "passive mode is on but no passive port range is pinned", "help": "..."}]
summary:
  description: Counts - files, errors, warnings, infos.
  returned: always
  type: dict
dialect:
  description: The vsftpd build the config was read as.
  returned: always
  type: str
  sample: debian-3.0.3
failed_findings:
  description: "The findings that failed the host, one C(FILE:LINE: severity[CODE] message) line each."
  returned: always
  type: list
  elements: str
"""

import json

from ansible.module_utils.basic import AnsibleModule

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def run_vsconf(module, dialect):
    p = module.params
    cmd = [p["executable"], "lint", "--format", "json", "--dialect", dialect]
    if p["settings"]:
        cmd += ["--config", p["settings"]]
    else:
        cmd.append("--no-config")
    if p["host_checks"]:
        cmd.append("--host-checks")
    for rule in p["select"]:
        cmd += ["--select", rule]
    for rule in p["ignore"]:
        cmd += ["--ignore", rule]
    data = None
    if p["content"] is not None:
        cmd += ["--stdin-filename", p["path"] or "vsftpd.conf", "-"]
        data = p["content"]
    else:
        cmd.append(p["path"])
    rc, out, err = module.run_command(cmd, data=data, binary_data=True, check_rc=False)
    return cmd, rc, out, err


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path"),
            content=dict(type="str"),
            dialect=dict(type="str", default="auto"),
            host_checks=dict(type="bool", default=True),
            fail_on=dict(type="str", default="error", choices=["error", "warning", "never"]),
            select=dict(type="list", elements="str", default=[]),
            ignore=dict(type="list", elements="str", default=[]),
            settings=dict(type="path"),
            executable=dict(type="path", default="vsconf"),
        ),
        required_one_of=[["path", "content"]],
        supports_check_mode=True,
    )
    p = module.params
    if p["executable"] == "vsconf":
        found = module.get_bin_path("vsconf")
        if not found:
            module.fail_json(msg="vsconf is not installed on this host (install the .deb or `cargo install vsconf`), or set executable")
        p["executable"] = found

    cmd, rc, out, err = run_vsconf(module, p["dialect"])
    try:
        report = json.loads(out)
    except ValueError:
        module.fail_json(msg="vsconf lint failed: %s" % (err.strip() or "no JSON on standard output"), rc=rc, cmd=cmd, stderr=err)

    files = report.get("files", [])
    startup = files[0]["startup"] if files else {}
    findings = [dict(d, path=f["path"]) for f in files for d in f.get("diagnostics", [])]
    if startup.get("refused"):
        verdict = "refuses"
    elif startup.get("crashed"):
        verdict = "crashes"
    else:
        verdict = "starts"
    threshold = {"error": 2, "warning": 1, "never": 99}[p["fail_on"]]
    failing = [
        "%s:%s: %s[%s] %s" % (d["path"], d.get("line"), d["severity"], d["code"], d["message"])
        for d in findings
        if SEVERITY_RANK.get(d["severity"], 0) >= threshold
    ]
    result = dict(
        changed=False,
        verdict=verdict,
        message=startup.get("message"),
        findings=findings,
        summary=report.get("summary", {}),
        dialect=files[0].get("dialect") if files else None,
        failed_findings=failing,
        cmd=cmd,
        rc=rc,
    )
    if p["fail_on"] != "never" and (verdict != "starts" or failing):
        why = "vsftpd %s" % ("would refuse to start: " + (startup.get("message") or "") if verdict == "refuses" else "would crash" if verdict == "crashes" else "starts")
        module.fail_json(msg="%s; %d finding(s) at or above %s" % (why, len(failing), p["fail_on"]), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
