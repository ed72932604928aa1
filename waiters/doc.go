// Package waiters is the polling engine behind the generated Wait,
// WaitForStatus and WaitForDelete methods of smcore resources.
//
// A generated waiter supplies three things: a [Poll] that performs one
// Describe call and reduces its output to an [Observation], a [Spec] whose
// Done function decides when the wait is over (usually built with
// [UntilTerminal], [UntilStatus] or [UntilDeleted] from the resource's
// status classifier), and the caller's [Option] values. [Wait] then polls
// with capped exponential backoff and jitter until Done says stop, the
// context ends, or a poll fails with an error that is not transient.
//
// Compared with the SDK waiters the engine
//   - caps the delay between polls at [MaxDelayCap] (one minute), so a wait
//     never returns long after the resource reached its state;
//   - fits the last sleep to the context's deadline and polls once more just
//     before it instead of giving up early;
//   - survives throttling, 5xx and network errors ([IsTransient]) up to a
//     configurable number in a row;
//   - reports outcomes as typed errors ([FailedError], [DeleteFailedError],
//     [StoppedError], [InterruptedError], [ErrVanished]) that carry the
//     status and the service's failure reason;
//   - reports progress through an optional callback and an optional
//     [log/slog.Logger] (it is silent otherwise), and can stream a job's
//     logs while waiting through a [LogFollower].
//
// The package keeps no global state; time and randomness can be injected
// ([WithClock], [WithJitter]) so that tests run without sleeping.
package waiters
