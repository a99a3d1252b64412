//! A subcommand's arguments, built by clap only when that subcommand is the one on the command line.
//!
//! clap's derive builds every argument of every subcommand before it parses anything: for `vsconf lint
//! FILE` that was 360k of the 1.6M instructions of the whole run (callgrind), more than linting the file.
//! [`Deferred`] hands each subcommand's arguments to [`clap::Command::defer`], so only the invoked one is
//! built (`generate` is not deferred: clap builds `help`'s copy of nested subcommands before any
//! deferred part, so `vsconf help generate man` would be lost); `--help`, completions and man pages build the rest when they need them (`Command::build`).
//! The parsed values are the wrapped type's, unchanged.

use std::ops::Deref;

use clap::builder::{Resettable, StyledStr};
use clap::{ArgMatches, Args, Command, FromArgMatches};

/// The arguments `T` of one subcommand, added when clap builds that subcommand.
#[derive(Debug)]
pub struct Deferred<T>(T);

impl<T> Deref for Deferred<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Deferred<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: Command) -> Command {
        cmd.defer(keeping_about::<T>)
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        cmd.defer(keeping_about_for_update::<T>)
    }
}

/// `T`'s arguments added to a subcommand whose description is already set. clap's derive gives the
/// subcommand the variant's doc comment after `T`'s own ("Arguments of …"); run later, `T` would
/// overwrite it, so the subcommand's is put back.
fn keeping_about<T: Args>(cmd: Command) -> Command {
    let about = Descriptions::of(&cmd);
    about.put_back(T::augment_args(cmd))
}

fn keeping_about_for_update<T: Args>(cmd: Command) -> Command {
    let about = Descriptions::of(&cmd);
    about.put_back(T::augment_args_for_update(cmd))
}

/// A subcommand's short and long description.
struct Descriptions {
    about: Option<StyledStr>,
    long_about: Option<StyledStr>,
}

impl Descriptions {
    fn of(cmd: &Command) -> Descriptions {
        Descriptions {
            about: cmd.get_about().cloned(),
            long_about: cmd.get_long_about().cloned(),
        }
    }

    fn put_back(self, cmd: Command) -> Command {
        let value = |text: Option<StyledStr>| text.map_or(Resettable::Reset, Resettable::Value);
        cmd.about(value(self.about))
            .long_about(value(self.long_about))
    }
}
