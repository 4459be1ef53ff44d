"""The web console in a real browser (Debian's chromium and chromium-driver, through selenium) against the running
binary, on SQLite and PostgreSQL: signing in with a token for an HttpOnly SameSite=Strict session, the overview,
a shareable event search, one event whole, replaying dead letters after a preview, the live tail with pause and
filters, what a viewer may not do, a cross-site form that carries no session, CSP and framing headers, sign-out,
and a token revoked by a reload ending its sessions. With POSTERN_CONSOLE_SCREENSHOTS=DIR it saves each page."""

import http.server
import json
import os
import pathlib
import shutil
import threading
import time

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import secret
from test_postgres import BASE_URL, fresh_database

TOKEN = secret("console-source-token")
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
VIEWER_TOKEN = secret("console-viewer-token")
OPS_TOKEN = secret("console-ops-token")
ADMIN_TOKEN = secret("admin-token-it")
TOKENS = f"[{{name: dashboard, token: {VIEWER_TOKEN}, role: viewer}}, {{name: oncall, token: {OPS_TOKEN}, role: operator}}]"
STORES = ["sqlite"] + (["postgres"] if BASE_URL else [])
SCREENSHOTS = os.environ.get("POSTERN_CONSOLE_SCREENSHOTS")
SOURCES = f"""
  - name: cognigy
    path: /hooks/cognigy
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
    destinations: [crm]
  - name: twilio-sms
    path: /hooks/sms
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    body: form
"""


def destinations(url):
    return f"""destinations:
  - name: crm
    url: {url}
    retry: {{maxAttempts: 1}}
"""


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--no-first-run", "--disable-extensions"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait(driver, predicate, timeout=20):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda _: predicate())


def find(driver, css, timeout=20):
    """The element, once the page that has it has loaded (a click that submits a form returns before)."""
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: d.find_element(By.CSS_SELECTOR, css))


def shot(driver, name):
    if SCREENSHOTS:
        pathlib.Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(pathlib.Path(SCREENSHOTS) / f"{name}.png"))


def sign_in(driver, gateway, token, next_path="/console/"):
    driver.get(gateway.admin_url + next_path)
    assert "/console/login" in driver.current_url
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.ID, "sign-in").click()
    wait(driver, lambda: "/console/login" not in driver.current_url)


def rows(driver, table):
    return driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr")


def csp_violations(driver):
    return [entry for entry in driver.get_log("browser") if "Content Security Policy" in entry.get("message", "")]


@pytest.mark.parametrize("kind", STORES)
def test_an_operator_finds_a_conversation_and_replays_its_dead_letters(gateway_factory, backend, browser, kind):
    store = "sqlite:./events.db" if kind == "sqlite" else fresh_database()
    gateway = gateway_factory(SOURCES, destinations(backend.url), store=store, admin_tokens=TOKENS)
    backend.set("status", 503)
    sent = []
    for n in range(3):
        body = {"id": f"m-{n}", "sessionId": "conv-42" if n < 2 else "conv-7", "text": f"hello {n}"}
        answer = gateway.post("/hooks/cognigy", json.dumps(body), {**AUTH, "X-Correlation-Id": body["sessionId"]})
        sent.append(answer.json()["id"])
    gateway.post("/hooks/sms", "From=%2B15551234&Body=Hi+there", {"Authorization": f"Bearer {TOKEN}",
                                                                     "Content-Type": "application/x-www-form-urlencoded"})
    gateway.post("/hooks/cognigy", "{}", {"Authorization": "Bearer wrong"})
    wait_until_dead = time.monotonic() + 20
    while len(requests.get(gateway.admin_url + "/admin/v1/dead-letters", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
                           timeout=10).json()["deliveries"]) < 3:
        assert time.monotonic() < wait_until_dead
        time.sleep(0.1)

    browser.get(gateway.admin_url + "/console/")
    assert "/console/login?next=" in browser.current_url
    browser.find_element(By.ID, "token").send_keys("not-a-token")
    browser.find_element(By.ID, "sign-in").click()
    assert "not an admin token" in find(browser, ".problem").text
    shot(browser, "login")
    browser.find_element(By.ID, "token").send_keys(OPS_TOKEN)
    browser.find_element(By.ID, "sign-in").click()
    wait(browser, lambda: browser.current_url.endswith("/console/"))
    cookie = browser.get_cookie("postern_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/console"

    sources = {row.find_elements(By.TAG_NAME, "td")[0].text.split("\n")[0]: [c.text for c in row.find_elements(By.TAG_NAME, "td")]
               for row in rows(browser, "sources")}
    assert sources["cognigy"][1:5] == ["3", "1", "3", "1"] and "invalid_credentials 1" in sources["cognigy"][5]
    assert sources["twilio-sms"][1] == "1"
    crm = [c.text for c in rows(browser, "destinations")[0].find_elements(By.TAG_NAME, "td")]
    assert crm[0] == "crm" and crm[3] == "3" and "HTTP 503" in crm[5]
    shot(browser, "overview")

    browser.find_element(By.LINK_TEXT, "Events").click()
    browser.find_element(By.NAME, "correlationId").send_keys("conv-42")
    browser.find_element(By.ID, "search-button").click()
    wait(browser, lambda: "correlationId=conv-42" in browser.current_url)
    find(browser, "#results")
    found = [row.find_elements(By.TAG_NAME, "td")[1].text for row in rows(browser, "results")]
    assert found == [sent[1], sent[0]], "newest first"
    assert browser.find_element(By.ID, "total").text == "2 events match."
    shared = browser.current_url
    browser.get(gateway.admin_url + "/console/events?field=%2FsessionId&value=conv-7")
    assert [row.find_elements(By.TAG_NAME, "td")[1].text for row in rows(browser, "results")] == [sent[2]]
    browser.get(shared)
    assert len(rows(browser, "results")) == 2, "the address is the search"
    shot(browser, "events")

    browser.find_element(By.LINK_TEXT, sent[0]).click()
    body = find(browser, "#body").text
    assert '"sessionId" : "conv-42"' in body and "\n" in body, "pretty-printed"
    headers = {r.find_elements(By.TAG_NAME, "td")[0].text.lower(): r.find_elements(By.TAG_NAME, "td")[1].text
               for r in rows(browser, "headers")}
    assert headers["x-correlation-id"] == "conv-42" and "authorization" not in headers
    timeline = [[c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in rows(browser, "timeline")]
    assert timeline[0][1:3] == ["crm", "503"] and timeline[0][3].endswith("ms")
    assert rows(browser, "verification")[0].find_elements(By.TAG_NAME, "td")[0].text == "bearer"
    assert TOKEN not in browser.page_source and OPS_TOKEN not in browser.page_source
    shot(browser, "event")

    sms = requests.get(gateway.admin_url + "/admin/v1/events", params={"source": "twilio-sms"},
                       headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=10).json()["events"][0]["id"]
    browser.get(gateway.admin_url + "/console/events?field=%2FFrom&value=%2B15551234")
    assert [row.find_elements(By.TAG_NAME, "td")[1].text for row in rows(browser, "results")] == [sms], "a form body's field"
    browser.get(gateway.admin_url + f"/console/events/{sms}")
    assert browser.find_element(By.ID, "body").text == "Body = Hi there\nFrom = +15551234"

    backend.set("ok", {})
    browser.get(gateway.admin_url + "/console/dead-letters")
    assert len(rows(browser, "dead-letters")) == 3
    shot(browser, "dead-letters")
    rows(browser, "dead-letters")[0].find_element(By.CSS_SELECTOR, "button.replay-one").click()
    wait(browser, lambda: "replayed=1" in browser.current_url)
    assert "Queued 1 deliveries again" in find(browser, ".notice").text
    backend.wait_for(lambda got: len([r for r in got if r.get("answered") == 200]) == 1)
    browser.get(gateway.admin_url + "/console/dead-letters")
    wait(browser, lambda: len(rows(browser, "dead-letters")) == 2, timeout=10)
    browser.find_element(By.ID, "preview-all").click()
    assert "takes 2 events" in find(browser, "#preview-count").text
    shot(browser, "replay-preview")
    browser.find_element(By.ID, "confirm-replay").click()
    assert "Replayed 2 events" in find(browser, ".notice").text
    backend.wait_for(lambda got: len([r for r in got if r.get("answered") == 200]) == 3)
    assert csp_violations(browser) == []

    browser.find_element(By.ID, "logout").click()
    wait(browser, lambda: "/console/login" in browser.current_url)
    browser.get(gateway.admin_url + "/console/events")
    assert "/console/login" in browser.current_url, "signed out"
    audit = [line for line in gateway.audit_lines() if line.get("decision") in ("admin_call", "replayed")]
    assert {line.get("by") for line in audit if line["decision"] == "replayed"} == {"oncall"}
    assert OPS_TOKEN not in gateway.audit.read_text()


def test_the_live_tail_pauses_and_filters(gateway_factory, browser):
    gateway = gateway_factory(SOURCES, destinations("http://127.0.0.1:9/none"), admin_tokens=TOKENS)
    sign_in(browser, gateway, VIEWER_TOKEN, "/console/live")
    wait(browser, lambda: browser.find_element(By.ID, "live-state").text == "live")
    gateway.post("/hooks/cognigy", json.dumps({"id": "l-1"}), AUTH)
    gateway.post("/hooks/cognigy", "{}", {"Authorization": "Bearer wrong"})
    wait(browser, lambda: len(rows(browser, "live")) == 2)
    newest = [c.text for c in rows(browser, "live")[0].find_elements(By.TAG_NAME, "td")]
    assert newest[1:4] == ["refused", "401", "invalid_credentials"] and newest[4] == "cognigy"
    shot(browser, "live")

    browser.find_element(By.ID, "pause").click()
    gateway.post("/hooks/cognigy", json.dumps({"id": "l-2"}), AUTH)
    wait(browser, lambda: browser.find_element(By.ID, "live-state").text == "paused, 1 new")
    assert len(rows(browser, "live")) == 2, "nothing drawn while paused"
    browser.find_element(By.ID, "pause").click()
    wait(browser, lambda: len(rows(browser, "live")) == 3)

    Select(browser.find_element(By.ID, "live-outcome")).select_by_value("refused")
    time.sleep(0.5)
    gateway.post("/hooks/cognigy", json.dumps({"id": "l-3"}), AUTH)
    gateway.post("/hooks/sms", "x=1", {"Authorization": "Bearer wrong"})
    wait(browser, lambda: len(rows(browser, "live")) == 4)
    assert [c.text for c in rows(browser, "live")[0].find_elements(By.TAG_NAME, "td")][4] == "twilio-sms"
    time.sleep(0.5)
    assert len(rows(browser, "live")) == 4, "the accepted one is filtered out"
    assert csp_violations(browser) == []


class CrossSite:
    """Another site on another port, whose page posts a form to the console as soon as it loads."""

    def __init__(self, target):
        page = f"""<!doctype html><form id="f" method="post" action="{target}"><input name="csrf" value="guess"></form>
<script>document.getElementById("f").submit()</script>""".encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://localhost:{self.server.server_address[1]}/"

    def close(self):
        self.server.shutdown()


def test_a_viewer_reads_only_a_cross_site_form_fails_and_a_revoked_token_signs_out(gateway_factory, backend, browser):
    gateway = gateway_factory(SOURCES, destinations(backend.url), admin_tokens=TOKENS)
    backend.set("status", 410)
    event = gateway.post("/hooks/cognigy", json.dumps({"id": "v-1"}), AUTH).json()["id"]
    sign_in(browser, gateway, VIEWER_TOKEN, f"/console/events/{event}")
    assert f"/console/events/{event}" in browser.current_url, "back where the sign-in began"
    assert browser.find_elements(By.ID, "replay") == [], "a viewer has no replay button"
    session = browser.get_cookie("postern_session")["value"]
    csrf = browser.find_element(By.NAME, "csrf").get_attribute("value")
    replay = requests.post(gateway.admin_url + f"/console/events/{event}/replay", data={"csrf": csrf},
                           cookies={"postern_session": session}, timeout=10)
    assert replay.status_code == 403 and "viewer" in replay.text
    forged = requests.post(gateway.admin_url + f"/console/events/{event}/replay", data={"csrf": "guess"},
                           cookies={"postern_session": session}, timeout=10)
    assert forged.status_code == 403 and "expired" in forged.text

    page = requests.get(gateway.admin_url + "/console/", cookies={"postern_session": session}, timeout=10)
    assert page.headers["X-Frame-Options"] == "DENY" and "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"] and page.headers["Cache-Control"] == "no-store"

    cross = CrossSite(gateway.admin_url + f"/console/events/{event}/replay")
    browser.get(cross.url)
    wait(browser, lambda: "/console/events" in browser.current_url)
    assert "session has ended" in browser.page_source, "SameSite=Strict: the other site's post carries no session"
    cross.close()

    config = gateway.config.read_text().replace(f"{{name: dashboard, token: {VIEWER_TOKEN}, role: viewer}}, ", "")
    gateway.config.write_text(config)
    reloaded = requests.post(gateway.admin_url + "/admin/reload", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=10)
    assert reloaded.status_code == 200 and reloaded.json()["needsRestart"] == []
    browser.get(gateway.admin_url + "/console/")
    assert "/console/login" in browser.current_url, "the revoked token's session ended"
    assert requests.get(gateway.admin_url + "/admin/v1/events", headers={"Authorization": f"Bearer {VIEWER_TOKEN}"},
                        timeout=10).status_code == 401
