"""Headless Chromium (Debian's /usr/bin/chromium and /usr/bin/chromedriver)
driven through Selenium, with helpers that act like a person in Odoo 11's web
client: they find menus, labels, buttons and rows by the text on the screen.

Every wait is an explicit wait for an element or a condition; there is no
fixed sleep.
"""
import json
import os
import shutil
import subprocess
import tempfile

from harness import stop_group, track_group
from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException, StaleElementReferenceException, TimeoutException,
    WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("E2E_CHROMEDRIVER", "/usr/bin/chromedriver")
TIMEOUT = float(os.environ.get("E2E_TIMEOUT", "30"))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions", "--no-default-browser-check",
    "--window-size=1440,1000", "--renderer-process-limit=2", "--js-flags=--max-old-space-size=512",
]


def xpath_literal(text):
    """``text`` as an XPath string literal (handles both kinds of quotes)."""
    if "'" not in text:
        return "'%s'" % text
    if '"' not in text:
        return '"%s"' % text
    return "concat('%s')" % "', \"'\", '".join(text.split("'"))


def has_text(text):
    """XPath predicate: the element's visible text contains ``text``."""
    return "contains(normalize-space(.), %s)" % xpath_literal(text)


def is_text(text):
    return "normalize-space(.)=%s" % xpath_literal(text)


class Browser:
    """One Chromium for the whole run; each role logs in with fresh cookies."""

    def __init__(self, base_url, artifacts):
        self.base_url = base_url
        self.artifacts = artifacts
        self.shots = 0
        self.console = []
        self.user_data_dir = tempfile.mkdtemp(prefix="credit-e2e-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument("--user-data-dir=%s" % self.user_data_dir)
        options.add_argument("--lang=en-US")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=CHROMEDRIVER,
                          log_output=os.path.join(artifacts, "chromedriver.log"),
                          popen_kw={"start_new_session": True})
        self.service = service
        self.driver = webdriver.Chrome(options=options, service=service)
        if getattr(service, "process", None) is not None:
            track_group(service.process)  # chromedriver and its Chromium, killed at exit
        self.driver.set_page_load_timeout(TIMEOUT * 2)

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass
        finally:
            proc = getattr(self.service, "process", None)
            if proc is not None:
                stop_group(proc)  # chromedriver and any Chromium left in its group
            shutil.rmtree(self.user_data_dir, ignore_errors=True)

    # ------------------------------------------------------------ evidence
    def screenshot(self, name):
        """Save a PNG of the current screen under the artifacts folder."""
        self.wait_idle()
        self.shots += 1
        path = os.path.join(self.artifacts, "%02d-%s.png" % (self.shots, name))
        self.driver.save_screenshot(path)
        return path

    def collect_console(self):
        """Browser console entries since the last call (also kept in self.console)."""
        try:
            entries = self.driver.get_log("browser")
        except WebDriverException:
            entries = []
        self.console.extend(entries)
        return entries

    def save_console(self):
        self.collect_console()
        path = os.path.join(self.artifacts, "browser-console.log")
        with open(path, "w") as handle:
            for entry in self.console:
                handle.write(json.dumps(entry) + "\n")
        return path

    def console_errors(self):
        self.collect_console()
        return [entry for entry in self.console if entry.get("level") == "SEVERE"]

    # ------------------------------------------------------------ waiting
    def wait(self, condition, message, timeout=None):
        def safe(driver):
            try:
                return condition(driver)
            except (StaleElementReferenceException, WebDriverException):
                return False
        try:
            return WebDriverWait(self.driver, timeout or TIMEOUT, poll_frequency=0.2).until(
                safe, message)
        except TimeoutException:
            self.raise_if_error_dialog()
            raise

    def visible(self, xpath, root=None):
        """Displayed elements matching ``xpath`` (skipping ones being re-rendered)."""
        root = root or self.driver
        found = []
        for element in root.find_elements(By.XPATH, xpath):
            try:
                if element.is_displayed():
                    found.append(element)
            except StaleElementReferenceException:
                continue
        return found

    def texts(self, xpath):
        """Texts of the displayed elements matching ``xpath``, read in one go in
        the page (no stale elements when the view re-renders meanwhile)."""
        def read(driver):
            return driver.execute_script(
                "var r = document.evaluate(arguments[0], document, null,"
                " XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null), out = [];"
                "for (var i = 0; i < r.snapshotLength; i++) {"
                "  var n = r.snapshotItem(i);"
                "  if (n.offsetParent !== null || n.getClientRects().length)"
                "    out.push(n.innerText.replace(/\\s+/g, ' ').trim());"
                "}"
                "return out;", xpath)
        return read(self.driver)

    def find(self, xpath, message=None, timeout=None):
        """Wait for the first displayed element matching ``xpath``."""
        return self.wait(lambda d: (self.visible(xpath) or [False])[0],
                         message or "nothing visible matches %s" % xpath, timeout)

    def wait_gone(self, xpath, message=None, timeout=None):
        return self.wait(lambda d: not self.visible(xpath),
                         message or "still visible: %s" % xpath, timeout)

    def wait_text(self, text, within="//body", timeout=None):
        """Wait until ``text`` shows inside the element ``within``."""
        return self.find("%s[%s]" % (within, has_text(text)),
                         "the screen does not show %r" % text, timeout)

    def text_of(self, xpath):
        return self.find(xpath).text

    def page_text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    IDLE_JS = """
        // The web client's own state: its Loading indicator puts 'oe_wait' on
        // the web client while any RPC is pending (counted from the start, so
        // no request can be missed; the bus's long polling is a "shadow" RPC
        // and not counted), blockUI covers the screen during long calls, and
        // every autocomplete has no search waiting for its answer.
        if (document.readyState !== 'complete') { return false; }
        var $ = window.jQuery;
        if (!$ || !window.odoo) { return true; }
        if (document.querySelector('.oe_wait, .blockUI')) { return false; }
        return $('.ui-autocomplete-input').toArray().every(function (input) {
            var widget = $(input).data('ui-autocomplete');
            return !widget || !widget.pending;
        });
    """

    def wait_idle(self):
        """Wait until the web client has no pending RPC and no blocking overlay
        (read twice in a row, so a call chained on a response is seen too)."""
        self.wait(lambda d: d.execute_script(self.IDLE_JS) and d.execute_script(self.IDLE_JS),
                  "the web client stays busy")

    def raise_if_error_dialog(self):
        dialogs = self.visible("//div[contains(@class,'modal-dialog')]"
                               "[.//*[contains(@class,'o_dialog_error') or "
                               "contains(@class,'o_error_detail')]]")
        if dialogs:
            raise AssertionError("Odoo shows an error: %s" % dialogs[0].text[:2000])

    def click(self, target, message=None):
        """Click an element (or the first visible match of an XPath, found
        again if the view re-renders it), scrolled into view; retry while an
        overlay covers it."""
        def attempt(driver):
            element = target
            if isinstance(target, str):
                found = self.visible(target)
                if not found:
                    return False
                element = found[0]
            try:
                driver.execute_script(
                    "arguments[0].scrollIntoView({block: 'center'});", element)
                element.click()
                return True
            except ElementClickInterceptedException:
                return False
        self.wait(attempt, message or "cannot click %s" % (
            target if isinstance(target, str) else target.text))

    # ------------------------------------------------------------ session
    def goto(self, path):
        self.driver.get(self.base_url + path)

    def login(self, login, password):
        """Log in through the login page as a person does."""
        self.driver.delete_all_cookies()
        self.goto("/web/login")
        field = self.find("//input[@id='login']")
        field.clear()
        field.send_keys(login)
        password_field = self.find("//input[@id='password']")
        password_field.clear()
        password_field.send_keys(password)
        self.click(self.find("//button[@type='submit'][%s]" % has_text("Log in")))
        self.wait_webclient()

    def wait_webclient(self):
        self.find("//nav[@id='oe_main_menu_navbar']//ul[contains(@class,"
                  "'oe_application_menu_placeholder')]",
                  "the web client did not load")
        self.find("//div[contains(@class,'o_control_panel')]",
                  "no action shows in the web client")
        self.wait_idle()

    def user_name(self):
        return self.text_of("//ul[contains(@class,'oe_user_menu_placeholder')]"
                            "//span[contains(@class,'oe_topbar_name')]")

    # ------------------------------------------------------------ menus
    def app_menus(self):
        """Names of the top-level applications in the menu bar (incl. "More")."""
        self.driver.execute_script(
            "var m = document.getElementById('menu_more_container');"
            "if (m) { m.classList.add('open'); }")
        names = self.texts("//ul[contains(@class,'oe_application_menu_placeholder')]"
                           "//a[@data-menu]//span[contains(@class,'oe_menu_text')]")
        self.driver.execute_script(
            "var m = document.getElementById('menu_more_container');"
            "if (m) { m.classList.remove('open'); }")
        return [name for name in names if name]

    def open_app(self, name):
        """Click an application in the top menu bar (opening "More" if needed)."""
        xpath = ("//ul[contains(@class,'oe_application_menu_placeholder')]"
                 "//a[@data-menu][.//span[%s]]" % is_text(name))
        if not self.visible(xpath):
            more = self.visible("//li[@id='menu_more_container']/a")
            if more:
                self.click(more[0])
        self.click(self.find(xpath, "no application %r in the menu bar" % name))
        self.wait_idle()

    def sidebar_menus(self):
        return [text for text in self.texts(
            "//div[contains(@class,'o_sub_menu_content')]"
            "//*[contains(@class,'oe_secondary_menu_section') or "
            "contains(@class,'oe_menu_leaf')]") if text]

    def open_menu(self, name):
        """Click a menu entry of the current application's sidebar."""
        link = self.find("//div[contains(@class,'o_sub_menu_content')]"
                         "//a[contains(@class,'oe_menu_leaf')][.//span[%s]]" % is_text(name),
                         "no menu %r in the sidebar" % name)
        self.click(link)
        self.wait_breadcrumb(name)

    def breadcrumbs(self):
        return self.texts(
            "//div[contains(@class,'o_control_panel')]//ol[contains(@class,'breadcrumb')]/li")

    def wait_breadcrumb(self, text):
        self.find("//div[contains(@class,'o_control_panel')]//ol[contains(@class,"
                  "'breadcrumb')]/li[last()][%s]" % has_text(text),
                  "the screen title is not %r" % text)
        self.wait_idle()

    # ------------------------------------------------------------ list views
    LIST = "//table[contains(@class,'o_list_view')]"

    def list_rows(self):
        """Rows of the list view as lists of cell texts (waits for the list)."""
        self.find(self.LIST, "no list shows")
        self.wait_idle()
        rows = self.driver.execute_script(
            "var out = [];"
            "document.querySelectorAll('table.o_list_view tr.o_data_row').forEach("
            "  function (tr) { if (tr.offsetParent === null) return;"
            "    out.push(Array.from(tr.querySelectorAll('td')).map("
            "      function (td) { return td.innerText.trim(); })); });"
            "return out;")
        return rows

    def list_headers(self):
        self.find(self.LIST, "no list shows")
        self.wait_idle()
        return [text for text in self.texts(self.LIST + "//thead//th") if text]

    def open_row(self, text):
        """Open the list row showing ``text``."""
        row = self.find("//table[contains(@class,'o_list_view')]"
                        "//tr[contains(@class,'o_data_row')][%s]" % has_text(text),
                        "no row shows %r" % text)
        cells = row.find_elements(By.XPATH, "./td[%s]" % has_text(text))
        self.click(cells[0] if cells else row)
        self.wait_form()

    def search(self, text):
        box = self.find("//div[contains(@class,'o_searchview')]//input")
        box.send_keys(text)
        box.send_keys(Keys.ENTER)
        self.wait_idle()

    # ------------------------------------------------------------ form views
    def wait_form(self):
        self.find("//div[contains(@class,'o_form_view')]", "no form view shows")
        self.wait_idle()

    def form_title(self):
        return self.text_of("//div[contains(@class,'o_form_view')]"
                            "//div[contains(@class,'oe_title')]//h1")

    def label(self, text, root="//div[contains(@class,'o_form_view')]"):
        return self.find("%s//label[contains(@class,'o_form_label')][%s]"
                         % (root, is_text(text)), "no field labelled %r" % text)

    def field(self, text, root="//div[contains(@class,'o_form_view')]"):
        """The widget of the field labelled ``text`` (by the label's ``for``)."""
        label = self.label(text, root)
        target = label.get_attribute("for")
        element = self.driver.find_element(By.ID, target)
        # inputs carry the id; read-only widgets are spans: step up to the widget
        return element

    def field_text(self, text, root="//div[contains(@class,'o_form_view')]"):
        element = self.field(text, root)
        value = element.get_attribute("value") if element.tag_name in (
            "input", "textarea") else None
        return (value if value is not None else element.text).strip()

    def field_value_cell(self, text, root="//div[contains(@class,'o_form_view')]"):
        """Text shown right of the label ``text`` in a form group (read-only too)."""
        label = self.label(text, root)
        cell = label.find_element(By.XPATH, "./ancestor::td[1]/following-sibling::td[1]")
        return cell.text.strip()

    def set_text(self, label, value, root="//div[contains(@class,'o_form_view')]"):
        element = self.field(label, root)
        element.clear()
        element.send_keys(value)

    def set_many2one(self, label, value, root="//div[contains(@class,'o_form_view')]"):
        """Type ``value`` in a many2one and pick it from the autocomplete list."""
        self.select_autocomplete(
            "//input[@id=string(%s//label[contains(@class,'o_form_label')][%s]/@for)]"
            % (root, is_text(label)), value)

    # The jQuery UI autocomplete of a many2one input, as the page sees it: its
    # last search term, the searches still waiting for an answer, whether its
    # drop-down shows, and the entry whose text is exactly the value.
    AUTOCOMPLETE_JS = """
        var input = arguments[0], value = arguments[1];
        var widget = window.jQuery(input).data('ui-autocomplete');
        if (!widget) { return null; }
        var menu = widget.menu.element, item = null;
        menu.find('li > a').each(function () {
            if (!item && this.textContent.replace(/\\s+/g, ' ').trim() === value) {
                item = this;
            }
        });
        return {term: widget.term, pending: widget.pending, text: input.value,
                open: menu.is(':visible'), item: item};
    """

    def autocomplete_state(self, input_xpath, value):
        inputs = self.visible(input_xpath)
        if not inputs:
            return None
        return self.driver.execute_script(self.AUTOCOMPLETE_JS, inputs[0], value)

    def select_autocomplete(self, input_xpath, value):
        """Type ``value`` in the many2one input ``input_xpath`` and pick the
        entry ``value`` from its drop-down, as a person does; then wait until
        the field holds it.

        Deterministic under load: the entry is clicked only once the widget's
        search for the whole typed text has answered (its term is the text and
        no search is pending), so no late answer to an earlier search (the one
        the click on the empty input starts, or one per keystroke) can open
        the list again after the choice."""
        element = self.find(input_xpath, "no input %s" % input_xpath)
        self.click(element)
        element.clear()
        element.send_keys(value)

        def offered(driver):
            state = self.autocomplete_state(input_xpath, value)
            if not state or state["pending"] or state["term"] != value \
                    or state["text"] != value or not state["open"]:
                return False
            return state["item"] or False
        self.click(self.wait(offered, "%r is not offered in the drop-down" % value))

        def chosen(driver):
            state = self.autocomplete_state(input_xpath, value)
            return bool(state and state["text"] == value and not state["open"]
                        and not state["pending"])
        self.wait(chosen, "%r was not chosen in the drop-down" % value)
        self.wait_idle()
        self.wait_gone("//ul[contains(@class,'ui-autocomplete')]",
                       "a drop-down stays open after choosing %r" % value)

    def button(self, text, root="//body"):
        return self.find("%s//button[not(contains(@class,'o_invisible_modifier'))][%s]"
                         % (root, is_text(text)), "no button %r" % text)

    def buttons(self, root="//div[contains(@class,'o_form_view')]"
                           "//header[contains(@class,'o_statusbar_buttons') or "
                           "contains(@class,'o_form_statusbar')]"):
        return [text for text in self.texts("%s//button" % root) if text]

    def statusbar_buttons(self):
        """Labels of the buttons shown in the form's header."""
        self.wait_form()
        return [text for text in self.texts(
            "//div[contains(@class,'o_form_view')]//div[contains(@class,"
            "'o_statusbar_buttons')]//button") if text]

    def status(self):
        """The highlighted stage of the form's status bar."""
        return self.text_of("//div[contains(@class,'o_form_view')]//div[contains(@class,"
                            "'o_statusbar_status')]//button[contains(@class,'btn-primary')]")

    def click_button(self, text, root="//body"):
        self.click(self.button(text, root))
        self.wait_idle()

    def save(self, label="Save"):
        self.click_button(label, "//div[contains(@class,'o_control_panel')]")
        self.find("//div[contains(@class,'o_form_view') and "
                  "contains(@class,'o_form_readonly')]", "the record was not saved")
        self.wait_idle()

    def open_tab(self, name):
        tab = self.find("//div[contains(@class,'o_notebook')]//ul[contains(@class,"
                        "'nav-tabs')]//a[%s]" % is_text(name), "no tab %r" % name)
        self.click(tab)
        self.find("//div[contains(@class,'o_notebook')]//li[contains(@class,'active')]"
                  "/a[%s]" % is_text(name))

    def dialog(self, title=None):
        xpath = "//div[contains(@class,'modal-dialog')]"
        if title:
            xpath += "[.//h4[contains(@class,'modal-title')][%s]]" % has_text(title)
        return self.find(xpath, "no dialog %s" % (repr(title) if title else "opens"))

    def chatter_messages(self):
        self.find("//div[contains(@class,'o_chatter')]", "no chatter shows")
        self.wait_idle()
        return self.texts("//div[contains(@class,'o_thread_message')]"
                          "//div[contains(@class,'o_thread_message_core')]")


def chromium_version():
    try:
        return subprocess.check_output([CHROMIUM, "--version"], timeout=30,
                                       stderr=subprocess.DEVNULL).decode().strip()
    except (OSError, subprocess.SubprocessError):
        return "not found"
