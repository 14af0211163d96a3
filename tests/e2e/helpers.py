"""What a person (or their screen reader, keyboard or magnifier) notices, as checks the browser tests call.

- check_a11y: axe-core finds no serious or critical WCAG problem, and the page reflows without
  sideways scrolling at 200% zoom (640 px wide) and on a phone (390 x 844).
- tab_to / choose_radio / assert_focus_visible: keyboard-only navigation, the way a keyboard
  or switch user moves through a page.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}
# 1280 px at 200% zoom lays out like a 640 px window; 390 x 844 is a common phone.
REFLOW_VIEWPORTS = ({"width": 640, "height": 800}, {"width": 390, "height": 844})

_OVERFLOW_JS = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth + 1;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > limit) {
      wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.classList.length ? "." + Array.from(el.classList).join(".") : "") + " (right edge " + Math.round(box.right) + "px)");
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 8)};
}"""

# The focused element's accessible name, simplified: aria-label, aria-labelledby, <label>, text.
_FOCUSED_NAME_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return "";
  const norm = s => (s || "").replace(/\\s+/g, " ").trim();
  if (el.getAttribute("aria-label")) return norm(el.getAttribute("aria-label"));
  const by = el.getAttribute("aria-labelledby");
  if (by) return norm(by.split(/\\s+/).map(id => (document.getElementById(id) || {}).textContent || "").join(" "));
  if (el.labels && el.labels.length) return norm(Array.from(el.labels).map(l => l.textContent).join(" "));
  if (el.tagName === "INPUT" && ["submit", "button"].includes(el.type)) return norm(el.value);
  return norm(el.innerText || el.textContent);
}"""

_FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), outlineStyle: style.outlineStyle,
          outlineWidth: parseFloat(style.outlineWidth) || 0, boxShadow: style.boxShadow};
}"""
_FOCUSED_JS = "() => ({name: (" + _FOCUSED_NAME_JS + ")(), style: (" + _FOCUS_STYLE_JS + ")()})"


def _describe(violation: dict) -> str:
    targets = "; ".join(", ".join(map(str, node["target"])) for node in violation["nodes"][:6])
    return f"- {violation['id']} ({violation['impact']}): {violation['help']} [{targets}] {violation['helpUrl']}"


def check_axe(page) -> None:
    """Fail listing every serious or critical axe-core violation on the current page."""
    violations = AXE.run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = "\n".join(_describe(v) for v in blocking)
        pytest.fail(f"axe-core found serious or critical accessibility problems on {page.url}:\n{lines}", pytrace=False)


def check_reflow(page) -> None:
    """Fail if the page needs sideways scrolling at 200% zoom or on a phone (WCAG 1.4.10 Reflow)."""
    original = page.viewport_size
    problems = []
    try:
        for viewport in REFLOW_VIEWPORTS:
            page.set_viewport_size(viewport)
            found = page.evaluate(_OVERFLOW_JS)
            if found["scrollWidth"] > found["clientWidth"] + 1:
                problems.append(f"at {viewport['width']}px wide the page is {found['scrollWidth']}px: {found['wide']}")
    finally:
        page.set_viewport_size(original)
    if problems:
        pytest.fail(f"{page.url} scrolls sideways " + "; ".join(problems), pytrace=False)


def check_a11y(page) -> None:
    check_axe(page)
    check_reflow(page)


def visit_and_check(page, url: str):
    """Open a page the way a person would (by its address), check it loaded and is accessible."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    check_a11y(page)
    return response


def submit_and_check(page, action) -> None:
    """Do something that loads a new page (a click or a key press), wait for it, then check it."""
    with page.expect_navigation():
        action()
    check_a11y(page)


def focused_name(page) -> str:
    return page.evaluate(_FOCUSED_NAME_JS)


def _matches(name: str, wanted: str | re.Pattern) -> bool:
    if isinstance(wanted, re.Pattern):
        return bool(wanted.search(name))
    name = name.casefold().removesuffix(" (optional)")
    return name == wanted.casefold()


def _focus_shows(style: dict) -> bool:
    has_outline = style["outlineStyle"] != "none" and style["outlineWidth"] > 0
    return has_outline or style["boxShadow"] not in ("", "none")


def assert_focus_visible(page) -> None:
    """The focused element shows a focus indicator (WCAG 2.4.7): an outline or a box shadow."""
    focused = page.evaluate(_FOCUSED_JS)
    assert _focus_shows(focused["style"]), (
        f"focus is not visible on “{focused['name']}” ({focused['style']}) at {page.url}"
    )


def tab_to(page, wanted: str | re.Pattern, *, backwards: bool = False, limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the focused element's accessible name is `wanted`.

    Focus must show on every element passed on the way, not only on the one wanted.
    """
    key = "Shift+Tab" if backwards else "Tab"
    passed = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(_FOCUSED_JS)
        if focused["style"]["tag"] not in ("body", "html"):
            assert _focus_shows(focused["style"]), (
                f"focus is not visible on “{focused['name']}” ({focused['style']}) at {page.url}"
            )
        if _matches(focused["name"], wanted):
            return
        passed.append(focused["name"])
    pytest.fail(
        f"pressed {key} {limit} times on {page.url} without reaching “{wanted}”; passed: {passed[:40]}", pytrace=False
    )


def choose_radio(page, wanted: str, *, limit: int = 12) -> None:
    """In a focused radio group, press the Down arrow until the wanted option is focused (and so chosen)."""
    for _ in range(limit):
        if _matches(focused_name(page), wanted):
            assert page.evaluate("document.activeElement.checked"), f"“{wanted}” is focused but not chosen"
            assert_focus_visible(page)
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"the radio option “{wanted}” was not reached with the arrow keys on {page.url}", pytrace=False)


def verification_code(outbox, address: str) -> str:
    """The code in the latest verification email sent to `address` (allauth puts it on a line of its own)."""
    messages = [message for message in outbox if address in message.to]
    assert messages, f"no email was sent to {address}; sent: {[m.to for m in outbox]}"
    codes = re.findall(r"^\s*([A-Z0-9][A-Z0-9-]{3,15})\s*$", messages[-1].body, flags=re.MULTILINE)
    assert codes, f"no verification code in the email to {address}:\n{messages[-1].body}"
    return codes[-1]
