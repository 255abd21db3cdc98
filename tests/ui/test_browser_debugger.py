"""The debugger's views in a real headless Chromium: a refused run leaves nothing stale, console
lines before a throw, schema violations marked, NOT EXERCISED as its own state, megabytes and
unbroken strings that do not widen the page, a planted API key masked, history listed.

Waits are on DOM conditions with generous timeouts, never on the clock. Screenshots land in
docs/ui with SYNCPENG_UI_SCREENSHOTS=docs/ui, as for test_browser.py.
"""

from __future__ import annotations

from tests.ui.conftest import ROOT, cats_copy, launched, needs_browser
from tests.ui.test_browser import _by, open_view, run_done, shoot, text_in, wait_for
from tests.ui.test_debugger import PLANTED, kinto_cassettes, override

pytestmark = needs_browser


def page_width_fits(driver) -> bool:
    """The document is no wider than the window: nothing forces a sideways scroll."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def run_with(driver, block: str) -> None:
    By = _by()
    area = driver.find_element(By.ID, "block")
    area.clear()
    area.send_keys(block)
    wait_for(driver, lambda d: d.find_element(By.ID, "run").is_enabled())
    driver.find_element(By.ID, "run").click()


def result_done(driver):
    node = driver.find_element(_by().ID, "result-status")
    return node.text not in ("", "running…") and node


def choose(driver, command: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(_by().ID, "command")).select_by_visible_text(command)


def test_a_refused_run_clears_the_panel_and_both_runs_are_listed(browser, tmp_path):
    By = _by()
    folder = cats_copy(tmp_path)
    with launched(str(folder)) as url:
        open_view(browser, url, "method")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#command option"))
        choose(browser, "get")
        run_with(browser, '{"id": "nobody"}')
        wait_for(browser, text_in("exchanges", "GET https://api.cats.test/cats/nobody"))
        assert browser.find_element(By.ID, "result-duration").text.endswith("ms")
        (folder / "in.json").write_text('{"get": {"id": ')  # the next run is refused
        browser.find_element(By.ID, "run").click()
        wait_for(browser, text_in("result-status", "refused"))
        assert "in.json:1:" in browser.find_element(By.ID, "result-error").text
        for stale in ("result-duration", "result-value", "exchanges", "result-output"):
            assert browser.find_element(By.ID, stale).text == "", stale
        wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".history-run")) == 2)
        runs = browser.find_elements(By.CSS_SELECTOR, "#method-history .history-run")
        assert "refused" in runs[0].text and "ok" in runs[1].text
        shoot(browser, "method-refused-history")


def test_console_before_a_throw_and_schema_violations_marked(browser, tmp_path):
    By = _by()
    folder = override(
        cats_copy(tmp_path),
        "    async def get(self, id):\n"
        "        if id == 'boom':\n"
        "            print('looking up', id)\n"
        "            raise RuntimeError('boom')\n"
        "        return {'id': id, 'name': 'Tom', 'lastModified': 17}\n",
    )
    with launched(str(folder)) as url:
        open_view(browser, url, "method")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#command option"))
        choose(browser, "get")
        run_with(browser, '{"id": "boom"}')
        wait_for(browser, text_in("result-status", "failed"))
        assert "looking up boom" in browser.find_element(By.ID, "result-output").text
        run_with(browser, '{"id": "cat-1"}')
        wait_for(browser, text_in("result-violations", "$.lastModified"))
        marked = browser.find_elements(By.CSS_SELECTOR, "#result-value .violation")
        assert [m.text.strip() for m in marked] == ['"lastModified": 17']
        assert '"integer"' in browser.find_element(By.ID, "schema-inferred").text
        assert "looking up" not in browser.find_element(By.ID, "result-output").text
        shoot(browser, "method-schema")


def test_two_megabytes_and_unbroken_strings_do_not_widen_the_page(browser, tmp_path):
    By = _by()
    folder = override(
        cats_copy(tmp_path),
        "    async def get(self, id):\n"
        "        if id == 'long-error':\n"
        "            raise RuntimeError('--connector-replay=AXic' + 'Q' * 3000)\n"
        "        print('U' * 3000)\n"
        "        return {'id': id, 'name': 'x' * 2_000_000}\n",
    )
    with launched(str(folder)) as url:
        open_view(browser, url, "method")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#command option"))
        choose(browser, "get")
        run_with(browser, '{"id": "big"}')
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#result-value + .show-all"))
        assert "2,000,0" in browser.find_element(By.CSS_SELECTOR, ".show-all").text
        assert "maxLength" in browser.find_element(By.ID, "result-violations").text
        assert page_width_fits(browser)
        run_with(browser, '{"id": "long-error"}')
        wait_for(browser, text_in("result-error", "AXicQQQ"))
        assert page_width_fits(browser)
        shoot(browser, "method-long")


def test_not_exercised_is_its_own_state_with_the_coverage_line(browser):
    By = _by()
    with launched("examples/carddav", "--cassette-dir", "cassettes/carddav") as url:
        open_view(browser, url, "checks")
        row_css = 'tr[data-check="updates.progression"]'
        row = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, row_css))
        assert "getUpdates reports every insert" in row.text  # the one-line description
        row.find_element(By.CSS_SELECTOR, ".pick").click()
        browser.find_element(By.ID, "checks-run-chosen").click()
        wait_for(browser, run_done)
        assert row.get_attribute("data-status") == "not-exercised"
        assert row.find_element(By.CSS_SELECTOR, ".status").text == "NOT EXERCISED"
        coverage = row.find_element(By.CSS_SELECTOR, ".coverage").text
        assert "NOT EXERCISED: pages crossed" in coverage
        listed = "#checks-history .history-run"
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, listed))
        assert "1 NOT EXERCISED" in browser.find_element(By.ID, "checks-history").text
        assert page_width_fits(browser)
        shoot(browser, "checks-not-exercised")


def test_a_planted_api_key_is_masked_and_a_big_cassette_loads_page_by_page(browser, tmp_path):
    By = _by()
    cassettes = kinto_cassettes(tmp_path)
    with launched(str(ROOT / "examples" / "kinto"), "--cassette-dir", str(cassettes)) as url:
        open_view(browser, url, "cassettes")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#cassette-list button"))
        buttons = browser.find_elements(By.CSS_SELECTOR, "#cassette-list button")
        next(b for b in buttons if b.text == "sync.stateful").click()
        wait_for(browser, text_in("cassette-audit", "x-api-key"))
        total = int(browser.find_element(By.ID, "cassette-title").text.split(": ")[1].split()[0])
        wait_for(browser, lambda d: not d.find_element(By.ID, "cassette-loading").is_displayed())
        shown = browser.find_elements(By.CSS_SELECTOR, "#cassette-interactions .interaction")
        assert len(shown) == total > 50
        first = shown[0].text
        assert "x-api-key: ***" in first and PLANTED not in browser.page_source
        assert page_width_fits(browser)
        shoot(browser, "cassette-masked")
