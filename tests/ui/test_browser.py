"""Each view's main path in a real headless Chromium, against `syncpeng ui` as a user launches it.

Waits are on DOM conditions (an element appearing, a text showing), with generous timeouts,
never on the clock. Each test saves a screenshot of its view; with
SYNCPENG_UI_SCREENSHOTS=docs/ui they land where docs/ui.md embeds them, so the pictures in the
documentation are ones the tests saw.
"""

from __future__ import annotations

import shutil

from tests.ui.conftest import ROOT, SHOTS, WAIT, cats_copy, launched, needs_browser

pytestmark = needs_browser


def _by():
    from selenium.webdriver.common.by import By

    return By


def wait_for(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(condition)


def text_in(element_id: str, text: str):
    def found(driver):
        node = driver.find_element(_by().ID, element_id)
        return node if text in node.text else False

    return found


def open_view(driver, url: str, view: str) -> None:
    driver.get(url)  # the token URL: the server answers with the cookie and the bare page
    wait_for(driver, lambda d: d.find_element(_by().ID, "connector-name").text)
    driver.find_element(_by().CSS_SELECTOR, f'nav button[data-view="{view}"]').click()


def shoot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def test_the_module_view_lists_files_fields_and_a_masked_account(browser, tmp_path):
    folder = cats_copy(tmp_path)
    with launched(str(folder)) as url:
        open_view(browser, url, "module")
        wait_for(browser, text_in("module-fields", "read-only"))
        files = browser.find_element(_by().ID, "module-files").text
        assert "dataSourceApp.py present" in files and "in.json missing" in files
        assert "mode\nmock" in browser.find_element(_by().ID, "module-facts").text
        assert "apiToken ***" in browser.find_element(_by().ID, "account-keys").text
        shoot(browser, "module")


def test_insert_then_get_on_the_persistent_mock(browser, tmp_path):
    By = _by()
    folder = cats_copy(tmp_path)
    with launched(str(folder)) as url:
        open_view(browser, url, "method")
        block = browser.find_element(By.ID, "block")
        block.clear()
        block.send_keys('{"value": {"name": "Oliver", "age": 3')
        wait_for(browser, text_in("block-error", "invalid JSON"))  # validated as you type
        assert not browser.find_element(By.ID, "run").is_enabled()
        block.send_keys("}}")
        wait_for(browser, lambda d: d.find_element(By.ID, "run").is_enabled())
        browser.find_element(By.ID, "run").click()
        value = wait_for(browser, text_in("result-value", '"id"'))
        new_id = value.text.split('"id": "')[1].split('"')[0]
        assert "POST https://api.cats.test/cats" in browser.find_element(By.ID, "exchanges").text

        from selenium.webdriver.support.ui import Select

        Select(browser.find_element(By.ID, "command")).select_by_visible_text("get")
        block.clear()
        block.send_keys(f'{{"id": "{new_id}"}}')
        browser.find_element(By.ID, "run").click()
        wait_for(browser, text_in("result-value", '"name": "Oliver"'))
        assert "Authorization: ***" in browser.find_element(By.ID, "exchanges").text
        shoot(browser, "method")
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-view="mock"]').click()
        wait_for(browser, text_in("mock-records", new_id))
        shoot(browser, "mock")


def run_done(driver):
    return driver.find_element(_by().ID, "checks-summary").get_attribute("data-done")


def run_all_checks(driver):
    By = _by()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#checks-table tr[data-check]"))
    driver.find_element(By.ID, "checks-run").click()
    wait_for(driver, run_done)
    rows = driver.find_elements(By.CSS_SELECTOR, "#checks-table tr[data-check]")
    return {row.get_attribute("data-check"): row.get_attribute("data-status") for row in rows}


def test_the_checks_on_examples_cats_all_pass_live_as_they_run(browser, tmp_path):
    folder = cats_copy(tmp_path)
    with launched(str(folder)) as url:
        open_view(browser, url, "checks")
        statuses = run_all_checks(browser)
        assert len(statuses) >= 15
        assert set(statuses.values()) == {"passed"}, statuses
        browser.find_element(_by().ID, "export").click()
        wait_for(browser, text_in("export-result", "conformance-report/conformance.html"))
        shoot(browser, "checks")
    assert (folder / "conformance-report" / "conformance.json").is_file()


def test_the_seed_sample_shows_a_failure_with_its_detail_and_reproduction(browser, tmp_path):
    By = _by()
    folder = shutil.copytree(ROOT / "tests" / "connectors" / "seed_sample", tmp_path / "seed")
    with launched(str(folder)) as url:
        open_view(browser, url, "checks")
        statuses = run_all_checks(browser)
        assert statuses["updates.shape"] == "failed"
        row = browser.find_element(By.CSS_SELECTOR, 'tr[data-check="updates.shape"]')
        assert "platform suffers: the platform cannot read the changes" in row.text
        assert "400 Bad Request" in row.find_element(By.CSS_SELECTOR, "pre.message").text
        script = row.find_element(By.CSS_SELECTOR, "pre.script").text
        assert script.startswith('init("<account.json>")') and "get_updates(null)" in script
        row.find_element(By.CSS_SELECTOR, "button.rerun").click()  # rerun just this one
        wait_for(browser, run_done)
        assert row.get_attribute("data-status") == "failed"
        assert "get_updates(null)" in row.find_element(By.CSS_SELECTOR, "pre.script").text
        shoot(browser, "checks-failure")


def test_three_steps_of_the_sync_timeline_with_writes_between(browser, tmp_path):
    By = _by()
    folder = cats_copy(tmp_path)
    with launched(str(folder)) as url:
        open_view(browser, url, "timeline")
        browser.find_element(By.ID, "tl-next").click()
        wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".tl-sync")) == 1)
        browser.find_element(By.ID, "tl-write").click()  # insert {"name": "Tom"} via the module
        wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".tl-write")) == 1)
        browser.find_element(By.ID, "tl-next").click()
        wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".tl-sync")) == 2)
        from selenium.webdriver.support.ui import Select

        Select(browser.find_element(By.ID, "tl-who")).select_by_value("other")
        fields = browser.find_element(By.ID, "tl-fields")
        fields.clear()
        fields.send_keys('{"name": "Kit"}')
        browser.find_element(By.ID, "tl-write").click()
        wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".tl-write")) == 2)
        browser.find_element(By.ID, "tl-next").click()
        wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".tl-sync")) == 3)
        syncs = browser.find_elements(By.CSS_SELECTOR, ".tl-sync")
        assert "lastSync: null" in syncs[0].text
        assert '"Tom"' in syncs[1].text and '"Kit"' not in syncs[1].text
        assert '"Kit"' in syncs[2].text and '"Tom"' not in syncs[2].text
        # each step passes the previous nextSync on
        for before, after in zip(syncs, syncs[1:], strict=False):
            handed = before.text.split("nextSync: ")[1]
            assert f"lastSync: {handed}" in after.text
        shoot(browser, "timeline")


def test_a_cassette_shows_its_interactions_placeholders_and_audit(browser):
    By = _by()
    with launched("examples/kinto", "--cassette-dir", "cassettes/kinto") as url:
        open_view(browser, url, "cassettes")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#cassette-list button"))
        button = next(
            b
            for b in browser.find_elements(By.CSS_SELECTOR, "#cassette-list button")
            if b.text == "crud.round-trip"
        )
        button.click()
        wait_for(browser, text_in("cassette-audit", "audit: no secret found"))
        shown = browser.find_element(By.ID, "cassette-interactions").text
        assert "<SECRET:baseUrl>" in shown and "<SECRET:header.authorization>" in shown
        shoot(browser, "cassettes")


def test_a_browser_without_the_token_is_refused(browser, tmp_path):
    folder = cats_copy(tmp_path)
    with launched(str(folder)) as url:
        browser.get(url.split("?")[0])  # the address without its token
        body = wait_for(browser, lambda d: d.find_element(_by().TAG_NAME, "body"))
        assert "refused: no valid token" in body.text
        assert not browser.find_elements(_by().TAG_NAME, "nav")
