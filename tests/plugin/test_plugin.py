"""`pytest --connector=...` as a connector author uses it, driven through pytester."""

import shutil
import subprocess
import sys

import pytest

from conformance.checks import CHECKS
from tests.helpers import BROKEN, EXAMPLE, HANG_TIMEOUT, ROOT

SHAPES = ROOT / "tests" / "connectors" / "shapes"
FAST = "--connector-examples=5"


def copy_example(pytester: pytest.Pytester, name: str = "cats"):
    folder = pytester.path / name
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_a_pytest_run_without_connector_does_not_import_the_harness(tmp_path):
    """Every pytest run in an environment the harness is installed in loads the plugin: it must
    cost the options and no more (benchmarks/bench_startup.py: about 0.2 s a run)."""
    (tmp_path / "test_own.py").write_text(
        "import sys\n"
        "def test_own():\n"
        "    loaded = [m for m in sys.modules if m.startswith('conformance.')]\n"
        "    assert 'conformance.plugin' in loaded\n"
        "    assert 'conformance.checks' not in loaded, loaded\n"
        "    assert 'conformance.plugin.suite' not in loaded, loaded\n"
        "    assert 'hypothesis.strategies' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_own.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-2000:]


def test_one_item_per_check_with_the_check_id_in_its_node_id(pytester):
    copy_example(pytester)
    result = pytester.runpytest("--connector=cats", "--collect-only", "-q")
    result.stdout.fnmatch_lines([f"cats::{check.id}" for check in CHECKS])


def test_the_example_connector_passes_every_check(pytester):
    copy_example(pytester)
    result = pytester.runpytest("--connector=cats", FAST)
    result.assert_outcomes(passed=len(CHECKS))


def test_a_failure_leads_with_the_harm_then_the_diff_then_the_calls(pytester):
    # -k: whether sync.stateful's random programs also meet this defect depends on the draw.
    target = f"--connector={BROKEN / 'patch_resets_fields.py'}"
    result = pytester.runpytest(target, FAST, "-k", "patch-partial")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*[[]crud.patch-partial[]] a patch overwrites or clears fields it was not given*",
            "fields the patch did not name were changed*",
            "  notes: expected *, read back null",
            "Reproduce with these calls (minimal example):",
            "  init(*",
            "  insert(*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_k_selects_checks_by_id(pytester):
    copy_example(pytester)
    result = pytester.runpytest("--connector=cats", "-k", "crud.delete or interface", FAST)
    result.assert_outcomes(passed=2, deselected=len(CHECKS) - 2)


def test_the_users_own_tests_are_left_out_unless_named(pytester):
    copy_example(pytester)
    pytester.makepyfile(test_mine="def test_mine():\n    assert True\n")
    pytester.runpytest("--connector=cats", FAST).assert_outcomes(passed=len(CHECKS))
    both = pytester.runpytest("--connector=cats", "test_mine.py", FAST)
    both.assert_outcomes(passed=len(CHECKS) + 1)


def test_without_connector_the_plugin_stays_out_of_the_way(pytester):
    pytester.makepyfile(test_mine="def test_mine():\n    assert True\n")
    pytester.runpytest().assert_outcomes(passed=1)


def test_globs_and_repeats_expand_to_each_connector_once(pytester):
    copy_example(pytester, "one")
    copy_example(pytester, "two")
    result = pytester.runpytest("--connector=*", "--connector=one", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["one::interface", "*two::interface*"])
    assert result.stdout.str().count("one::interface") == 1


def test_warnings_are_summarised_and_strict_makes_them_fail(pytester):
    lagging = f"--connector={BROKEN / 'updates_lagging_token.py'}"
    relaxed = pytester.runpytest(lagging, "-k", "progression", FAST)
    relaxed.assert_outcomes(passed=1, deselected=len(CHECKS) - 1)
    relaxed.stdout.fnmatch_lines(["*conformance warnings*", "*delivered again*"])
    strict = pytester.runpytest(lagging, "-k", "progression", "--connector-strict", FAST)
    strict.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)


def test_sync_methods_and_the_getUpdates_spelling_are_accepted(pytester):
    result = pytester.runpytest(f"--connector={SHAPES / 'sync_camel_case.py'}", FAST)
    result.assert_outcomes(passed=len(CHECKS))


def test_a_non_httpx_connector_passes_on_the_loopback_mock(pytester):
    target = f"--connector={SHAPES / 'urllib_client.py'}"
    result = pytester.runpytest(target, "--connector-transport=loopback", FAST)
    result.assert_outcomes(passed=len(CHECKS))


def test_a_urllib_connector_reaches_the_in_process_mock_without_loopback(pytester):
    """Every routed client reaches the mock in process (conformance/http/stubs), not only
    httpx: no --connector-transport=loopback needed."""
    result = pytester.runpytest(f"--connector={SHAPES / 'urllib_client.py'}", "-k", "round")
    result.assert_outcomes(passed=1)


def test_a_module_name_is_a_connector_and_checks_needing_a_schema_are_skipped(pytester):
    pytester.makepyfile(
        mycats="from cats_correct import Correct\n\nclass DataSource(Correct):\n    pass\n"
    )
    pytester.makefile(".toml", conformance='mock = "cats"')
    pytester.makefile(".json", account='{"apiToken": "t"}')
    pytester.syspathinsert()
    pytester.syspathinsert(BROKEN)
    result = pytester.runpytest("--connector=mycats", "-rs")
    result.assert_outcomes(passed=2, skipped=len(CHECKS) - 2)
    result.stdout.fnmatch_lines(["SKIPPED * mycats.py: crud.round-trip needs a schema.json*"])


def test_a_connector_without_a_mock_is_one_clear_error_before_any_check(pytester):
    copy_example(pytester)
    (pytester.path / "cats" / "conformance.toml").write_text("")
    result = pytester.runpytest("--connector=cats")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*cats/conformance.toml: names no mock API; add mock = *"])
    assert "Traceback" not in result.stdout.str()


def test_a_hanging_connector_is_stopped_by_the_per_call_timeout(pytester):
    result = pytester.runpytest(
        f"--connector={BROKEN / 'hangs_on_get.py'}",
        f"--connector-timeout={HANG_TIMEOUT:g}",
        "-k",
        "delete",
    )
    result.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    result.stdout.fnmatch_lines([f"*get(*) did not return within {HANG_TIMEOUT:g} s*"])
