//! Work on all cores, results in input order: the pipeline of a bulk `lint`.
//!
//! Workers take the items a few at a time and send each finished run of results to the one consumer
//! (the calling thread), which hands them on in input order as soon as the order allows. Nothing waits
//! for a whole batch: batches of 512 with a join after each left a core idle at every batch's end and
//! kept the consumer's writing off the workers' time (1.82 of 2 cores busy in a bulk run, perf stat).
//!
//! Invariants:
//! - `consume` sees every item's result exactly once, in input order, on the calling thread, unless it
//!   fails or a worker dies; then the run stops early and says so (a dying worker stops the others,
//!   which would otherwise wait at the window for its chunk).
//! - Memory stays bounded: no worker starts an item more than [`WINDOW`] items past the first result not
//!   yet consumed, so a slow item (a large file) holds back at most a window of finished results.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::Duration;

/// Items a worker takes at once: few enough that the run's last chunk ends close to the others (64
/// files are about 3 ms of work), enough that waking the consumer costs little: each message wakes
/// it, and the channel spins a little before it sleeps again, CPU taken from the workers (16 files a
/// chunk cost 6% more task-clock than 64 in a bulk lint, interleaved `perf stat`).
const CHUNK: usize = 64;

/// How far past the first unconsumed result a worker may start.
pub const WINDOW: usize = 1024;

/// Why a run stopped early.
#[derive(Debug)]
pub enum Stopped<E> {
    /// `consume` returned this error.
    Consumer(E),
    /// A worker panicked (its message was printed as it did).
    WorkerDied,
}

/// What the workers and the consumer share.
struct Shared {
    /// The next item no worker has taken.
    next: AtomicUsize,
    /// How many results the consumer has taken, in order.
    consumed: AtomicUsize,
    /// Set when the run stops early: workers take nothing more.
    stop: AtomicBool,
    /// Workers waiting for the window to move.
    waiting: AtomicUsize,
    lock: Mutex<()>,
    moved: Condvar,
}

impl Shared {
    /// Waits until a chunk starting at `start` lies inside the window (or the run stops).
    fn wait_for_window(&self, start: usize) {
        let inside = || start < self.consumed.load(Ordering::SeqCst) + WINDOW;
        if inside() {
            return;
        }
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut guard = self
            .lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while !inside() && !self.stop.load(Ordering::SeqCst) {
            // The timeout is a backstop only: the consumer notifies under the lock.
            guard = match self.moved.wait_timeout(guard, Duration::from_millis(50)) {
                Ok((g, _)) => g,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        drop(guard);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }

    /// Wakes waiting workers (after `consumed` moved or the run stopped).
    fn wake(&self) {
        if self.waiting.load(Ordering::SeqCst) > 0 {
            let _guard = self
                .lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            self.moved.notify_all();
        }
    }
}

/// Stops the run when the worker holding it unwinds from a panic.
struct StopOnPanic<'a>(&'a Shared);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop.store(true, Ordering::SeqCst);
            self.0.wake();
        }
    }
}

/// Runs `work` over `items` on `workers` threads and passes each result to `consume` in input order.
/// With one worker everything runs on the calling thread.
pub fn for_each<T, R, E>(
    items: &[T],
    workers: usize,
    work: &(dyn Fn(&T) -> R + Sync),
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), Stopped<E>>
where
    T: Sync,
    R: Send,
{
    if workers <= 1 || items.len() <= CHUNK {
        for item in items {
            consume(work(item)).map_err(Stopped::Consumer)?;
        }
        return Ok(());
    }
    let shared = Shared {
        next: AtomicUsize::new(0),
        consumed: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        waiting: AtomicUsize::new(0),
        lock: Mutex::new(()),
        moved: Condvar::new(),
    };
    let (sender, receiver) = mpsc::channel::<(usize, Vec<R>)>();
    let take_chunks = |sender: mpsc::Sender<(usize, Vec<R>)>| {
        // A worker that panics never sends its chunk, so the window stops moving: it stops the run,
        // or the others would wait for that chunk forever.
        let _stops_on_panic = StopOnPanic(&shared);
        loop {
            if shared.stop.load(Ordering::Relaxed) {
                return;
            }
            let start = shared.next.fetch_add(CHUNK, Ordering::Relaxed);
            let Some(chunk) = items.get(start..items.len().min(start + CHUNK)) else {
                return;
            };
            shared.wait_for_window(start);
            let results = chunk.iter().map(work).collect();
            if sender.send((start, results)).is_err() {
                return;
            }
        }
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let sender = sender.clone();
                scope.spawn(move || take_chunks(sender))
            })
            .collect();
        drop(sender);
        let outcome = consume_in_order(&shared, &receiver, items.len(), &mut consume);
        if outcome.is_err() {
            shared.stop.store(true, Ordering::SeqCst);
            shared.wake();
        }
        // Workers still sending find the channel closed and stop.
        drop(receiver);
        let died = handles.into_iter().any(|h| h.join().is_err());
        match outcome {
            Err(e) => Err(e),
            Ok(()) if died => Err(Stopped::WorkerDied),
            Ok(()) => Ok(()),
        }
    })
}

/// The consumer's side: reorders chunks as they arrive and hands their results on in input order.
fn consume_in_order<R, E>(
    shared: &Shared,
    receiver: &mpsc::Receiver<(usize, Vec<R>)>,
    total: usize,
    consume: &mut impl FnMut(R) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    let mut early: BTreeMap<usize, Vec<R>> = BTreeMap::new();
    let mut done = 0;
    while done < total {
        let Ok((start, results)) = receiver.recv() else {
            // Every worker is gone with items left: one of them died.
            return Err(Stopped::WorkerDied);
        };
        early.insert(start, results);
        while let Some(results) = early.remove(&done) {
            done += results.len();
            for r in results {
                consume(r).map_err(Stopped::Consumer)?;
            }
            shared.consumed.store(done, Ordering::SeqCst);
            shared.wake();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_input_order_whatever_the_work_takes() {
        let items: Vec<u64> = (0..3000).collect();
        // Uneven work: some items take far longer, so chunks finish out of order.
        let work = |n: &u64| {
            if n % 97 == 0 {
                std::thread::sleep(Duration::from_millis(2));
            }
            n * 2
        };
        let mut seen = Vec::new();
        for_each(&items, 4, &work, |r| {
            seen.push(r);
            Ok::<(), ()>(())
        })
        .unwrap();
        let expected: Vec<u64> = items.iter().map(|n| n * 2).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn no_item_starts_more_than_a_window_past_the_first_unconsumed_one() {
        let items: Vec<usize> = (0..(WINDOW * 4)).collect();
        let consumed = AtomicUsize::new(0);
        let furthest_lead = AtomicUsize::new(0);
        let work = |i: &usize| {
            // Item 0 is slow: every other worker runs ahead until the window stops it.
            if *i == 0 {
                std::thread::sleep(Duration::from_millis(200));
            }
            let lead = i.saturating_sub(consumed.load(Ordering::SeqCst));
            furthest_lead.fetch_max(lead, Ordering::SeqCst);
            *i
        };
        let mut seen = 0;
        for_each(&items, 3, &work, |r| {
            assert_eq!(r, seen);
            seen += 1;
            consumed.store(seen, Ordering::SeqCst);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(seen, items.len());
        let lead = furthest_lead.load(Ordering::SeqCst);
        assert!(
            lead >= WINDOW / 2,
            "the slow item held nobody back: lead {lead}"
        );
        assert!(lead < WINDOW + CHUNK, "a worker ran {lead} items ahead");
    }

    #[test]
    fn a_consumer_error_stops_the_run_and_is_returned() {
        let items: Vec<usize> = (0..10_000).collect();
        let worked = AtomicUsize::new(0);
        let work = |i: &usize| {
            worked.fetch_add(1, Ordering::SeqCst);
            *i
        };
        let outcome = for_each(&items, 2, &work, |r| {
            if r == 100 { Err("stop") } else { Ok(()) }
        });
        assert!(matches!(outcome, Err(Stopped::Consumer("stop"))));
        assert!(
            worked.load(Ordering::SeqCst) < 100 + WINDOW + 2 * CHUNK,
            "workers went on after the consumer failed"
        );
    }

    #[test]
    fn a_worker_that_panics_is_reported_not_hung_on() {
        let items: Vec<usize> = (0..500).collect();
        let work = |i: &usize| {
            assert!(*i != 250, "deliberate panic in a worker");
            *i
        };
        let outcome = for_each(&items, 2, &work, |_| Ok::<(), ()>(()));
        assert!(matches!(outcome, Err(Stopped::WorkerDied)));
    }

    #[test]
    fn a_worker_that_panics_early_in_a_long_run_stops_the_others() {
        // The dead worker's chunk never arrives, so the window stops moving: the others must not wait
        // for it forever.
        let items: Vec<usize> = (0..(WINDOW * 8)).collect();
        let work = |i: &usize| {
            assert!(*i != 10, "deliberate panic in a worker");
            *i
        };
        let outcome = for_each(&items, 3, &work, |_| Ok::<(), ()>(()));
        assert!(matches!(outcome, Err(Stopped::WorkerDied)));
    }

    #[test]
    fn one_worker_runs_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let items: Vec<usize> = (0..100).collect();
        let work = |_: &usize| std::thread::current().id();
        let mut ids = Vec::new();
        for_each(&items, 1, &work, |id| {
            ids.push(id);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert!(ids.iter().all(|id| *id == caller));
    }
}
