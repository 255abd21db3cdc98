"""A state machine's recorded programs, run again without hypothesis.

Recording writes down every program hypothesis ran (the rules in order, with the arguments they
were called with: records, patches, and ids as plain values). Replaying them through hypothesis
would depend on its version and on the strategies staying the same; calling the rules directly
does not, and makes exactly the recorded requests: ids the connector returned are the same,
because its responses are replayed.

Hypothesis ran the minimal failing program last (its final replay), so the last failure is the
finding, as in `Context._forall_replayed`; a recording whose last program passed although an
earlier one failed is the timing-dependent case hypothesis reports as flaky.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Mapping
from typing import Any

import hypothesis.stateful as hs
from hypothesis.stateful import RuleBasedStateMachine

from conformance.runtime.session import Call


def _rules(machine: type[RuleBasedStateMachine]) -> dict[str, Any]:
    """The machine's rules (initialize rules too) by name, as hypothesis itself finds them: the
    marker its @rule / @initialize decorators set on the method."""
    found = {}
    for name, member in inspect.getmembers(machine):
        for marker in (hs.RULE_MARKER, hs.INITIALIZE_RULE_MARKER):
            if getattr(member, marker, None) is not None:
                found[name] = getattr(member, marker)
    return found


def rules_of(machine: type[RuleBasedStateMachine]) -> dict[str, frozenset[str]]:
    """Each rule of the machine and the names of its arguments."""
    return {name: frozenset(r.arguments) for name, r in _rules(machine).items()}


def _targets(machine: type[RuleBasedStateMachine]) -> dict[str, list[str]]:
    return {name: [str(t) for t in r.targets] for name, r in _rules(machine).items()}


class ReplayedFailure:
    """What the replay of the recorded programs found: the failure, its program, its calls."""

    def __init__(self, error: BaseException, program: list[str], calls: list[Call]) -> None:
        self.error = error
        self.program = program
        self.calls = calls


def replay_programs(
    machine: type[RuleBasedStateMachine], programs: list[list[dict[str, Any]]], calls: list[Call]
) -> tuple[ReplayedFailure | None, bool]:
    """Run every program in order; return the finding (the last failure) and whether it is
    timing-dependent (the last program passed). A BaseException (a hung call) stops at once,
    as it stopped hypothesis while recording, carrying its program as `recorded_program`."""
    last: ReplayedFailure | None = None
    failed_last = False
    for steps in programs:
        try:
            _run(machine, steps)
        except Exception as exc:  # as hypothesis would: any exception fails the example
            last = ReplayedFailure(exc, getattr(exc, "recorded_program", []), list(calls))
            failed_last = True
        else:
            failed_last = False
    if last is not None:
        calls[:] = last.calls
    return last, last is not None and not failed_last


def _run(machine: type[RuleBasedStateMachine], steps: list[dict[str, Any]]) -> None:
    state = machine()
    targets = _targets(machine)
    names: dict[str, str] = {}  # a value a rule returned -> its name in the listing
    counters: Counter[str] = Counter()
    lines = [f"state = {machine.__name__}()"]
    try:
        for step in steps:
            rule, args = step["rule"], step["args"]
            lines.append(render_step(rule, args, names))
            result = getattr(state, rule)(**args)
            for target in targets[rule]:
                name = f"{target}_{counters[target]}"
                counters[target] += 1
                if isinstance(result, str):
                    names[result] = name
                lines[-1] = f"{name} = {lines[-1]}"
    except BaseException as exc:
        exc.recorded_program = lines + ["state.teardown()"]  # type: ignore[attr-defined]
        raise
    finally:
        try:
            state.teardown()
        except BaseException as exc:
            exc.recorded_program = lines + ["state.teardown()"]  # type: ignore[attr-defined]
            raise


def render_step(rule: str, args: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A step as hypothesis prints it (`state.patch(change={...}, id=records_0)`)."""

    def shown(value: Any) -> str:
        if isinstance(value, str) and value in names:
            return names[value]
        return repr(value)

    return f"state.{rule}({', '.join(f'{k}={shown(v)}' for k, v in args.items())})"
