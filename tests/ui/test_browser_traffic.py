"""HTTP traffic on screen in a real headless Chromium: each exchange's headers (X-Server-Time
shown, Authorization masked), a sync's traffic by page, a failed check's reproduction loaded in
one click and stepped through with every page's request and response, and sync.stateful's
Replay button.

Waits are on DOM conditions with generous timeouts, never on the clock. Screenshots land in
docs/ui with SYNCPENG_UI_SCREENSHOTS=docs/ui, as for test_browser.py.
"""

from __future__ import annotations

import json

from tests.ui.conftest import cats_copy, launched, needs_browser
from tests.ui.test_browser import _by, open_view, run_done, shoot, text_in, wait_for
from tests.ui.test_browser_debugger import choose, result_done, run_with
from tests.ui.test_debugger import override
from tests.ui.test_traffic import DROPS_LAST, PAGED

pytestmark = needs_browser


def test_an_exchange_shows_both_sides_headers_with_authorization_masked(browser, tmp_path):
    By = _by()
    folder = cats_copy(tmp_path)
    token = json.loads((folder / "account.json").read_text())["apiToken"]
    with launched(str(folder)) as url:
        open_view(browser, url, "method")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#command option"))
        choose(browser, "insert")
        run_with(browser, '{"value": {"name": "Oliver"}}')
        wait_for(browser, result_done)
        box = wait_for(browser, text_in("exchanges", "X-Server-Time: 20"))
        text = box.text
        assert "POST https://api.cats.test/cats → 201" in text
        assert "Authorization: ***" in text and token not in browser.page_source
        for shown in ("mock", "httpx", "request headers", "response headers", '"name": "Oliver"'):
            assert shown in text, shown
        assert box.find_element(By.CSS_SELECTOR, ".badge.source").text == "mock"
        browser.execute_script("arguments[0].scrollIntoView()", box)
        shoot(browser, "method-exchanges")


def test_a_sync_step_shows_its_traffic_grouped_by_page(browser, tmp_path):
    By = _by()
    from selenium.webdriver.support.ui import Select

    folder = override(cats_copy(tmp_path), PAGED)
    with launched(str(folder)) as url:
        open_view(browser, url, "timeline")
        Select(browser.find_element(By.ID, "tl-who")).select_by_value("other")
        for n, name in enumerate(("Tom", "Kit", "Max"), start=1):
            fields = browser.find_element(By.ID, "tl-fields")
            fields.clear()
            fields.send_keys(json.dumps({"name": name}))
            browser.find_element(By.ID, "tl-write").click()
            wait_for(
                browser, lambda d, n=n: len(d.find_elements(By.CSS_SELECTOR, ".tl-write")) == n
            )
        browser.find_element(By.ID, "tl-next").click()
        sync = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".tl-sync"))[0]
        pages = sync.find_elements(By.CSS_SELECTOR, ".page")
        assert len(pages) == 2
        assert (
            "page 1 asked" in pages[0].text and "next https://api.cats.test/cats?" in pages[0].text
        )
        assert 'rel="next"' in pages[0].text and "X-Server-Time" in pages[1].text
        text = sync.text
        assert text.index("lastSync: null") < text.index("page 1") < text.index("page 2")
        assert text.index("page 2") < text.index("nextSync: {")
        browser.execute_script("arguments[0].scrollIntoView()", sync)
        shoot(browser, "timeline-pages")


def test_a_failed_check_is_stepped_through_in_the_timeline_and_replayed(browser, tmp_path):
    By = _by()
    folder = override(cats_copy(tmp_path), DROPS_LAST)
    with launched(str(folder)) as url:
        open_view(browser, url, "checks")
        row = wait_for(
            browser, lambda d: d.find_element(By.CSS_SELECTOR, 'tr[data-check="sync.stateful"]')
        )
        row.find_element(By.CSS_SELECTOR, ".pick").click()
        browser.find_element(By.ID, "checks-run-chosen").click()
        wait_for(browser, run_done)
        assert row.get_attribute("data-status") == "failed"
        assert "--connector-replay" not in row.text
        assert 'its "Replay this example" button' in row.text
        row.find_element(By.CSS_SELECTOR, "button.load-repro").click()  # one click
        wait_for(browser, lambda d: d.find_element(By.ID, "repro").is_displayed())
        assert (
            "Reproduction of sync.stateful (0 of" in browser.find_element(By.ID, "repro-title").text
        )
        browser.find_element(By.ID, "repro-step").click()  # one step...
        wait_for(browser, text_in("repro-title", "(1 of"))
        browser.find_element(By.ID, "repro-all").click()  # ...then the rest
        wait_for(
            browser,
            lambda d: (
                not d.find_element(By.ID, "repro-progress").is_displayed()
                and d.find_element(By.ID, "repro-all").get_attribute("disabled")
            ),
        )
        syncs = [
            s
            for s in browser.find_elements(By.CSS_SELECTOR, ".repro-step.ran")
            if "updates(" in s.find_element(By.CSS_SELECTOR, ".repro-line").text
        ]
        assert syncs
        for step in syncs:  # every page's request and response is on screen
            for page in step.find_elements(By.CSS_SELECTOR, ".page"):
                assert "request headers" in page.text and "response headers" in page.text
                assert "X-Server-Time" in page.text and "Authorization: ***" in page.text
        shoot(browser, "timeline-reproduction")
        # a step opens in Run with its block
        step = browser.find_elements(By.CSS_SELECTOR, ".repro-step.ran")[-1]
        line = step.find_element(By.CSS_SELECTOR, ".repro-line").text
        step.find_element(By.CSS_SELECTOR, "button.open-in-run").click()
        wait_for(browser, lambda d: d.find_element(By.ID, "view-method").is_displayed())
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#command option"))
        command = browser.find_element(By.ID, "command").get_attribute("value")
        assert command in line.lower().replace("_", "")
        # sync.stateful's Replay button runs the check on that one example
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-view="checks"]').click()
        row = browser.find_element(By.CSS_SELECTOR, 'tr[data-check="sync.stateful"]')
        row.find_element(By.CSS_SELECTOR, "button.replay-example").click()
        # the second run is listed once it is over (a status may come and go between polls)
        wait_for(
            browser,
            lambda d: len(d.find_elements(By.CSS_SELECTOR, "#checks-history .history-run")) == 2,
        )
        assert not browser.find_element(By.ID, "checks-error").is_displayed()
        # whether that one example fails again can depend on timing (writes made mid-call)
        replayed = row.find_element(By.CSS_SELECTOR, ".replayed").text
        assert replayed.startswith("Replayed the failing example: it ")
        assert row.get_attribute("data-status") in ("failed", "passed")
        if row.get_attribute("data-status") == "failed":  # it can be replayed again
            assert row.find_element(By.CSS_SELECTOR, "button.replay-example").is_displayed()
        browser.execute_script("arguments[0].scrollIntoView()", row)
        shoot(browser, "checks-replay")
