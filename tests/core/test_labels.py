"""People read labels, never codes: a crawl of both faces over the demo data finds no slug, code or Python text.

The crawl follows every same-site link a CSM, an admin and a customer can see (pages and CSV exports), and reads
only what a person reads: text nodes (not attributes, scripts or styles) and CSV headers.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest

from apps.accounts.models import User

# snake_case words (very_high, in_app, success_document.created), dotted codes, Python reprs, and slugs run through
# capfirst ("Mvp development").
SLUG = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]{3,}(?:_[a-z]+)*\.[a-z_]{3,}\b|\('text'|\{'[a-z_]+':|\bMvp\b")
PYTHON_TEXT = re.compile(r"\('text'|\{'[a-z_]+':")
DIGEST_WORDS = re.compile(r"SHA-256|fingerprint|\b(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b", re.IGNORECASE)
SKIP_PATHS = ("/admin/", "/logout/", "/api/", "/static/")
MAX_PAGES = 300
PER_PATTERN = 3  # pages of one shape (/leads/<id>/) read; more of the same adds time, not coverage


class _Text(HTMLParser):
    """Text nodes and links of a page; <script>, <style>, <code> and <pre> carry no labels."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.exposed_digests: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._details = 0
        self._pre = 0  # stored data shown as data (JSON in a <pre>): keys may be codes, never Python text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "details":
            self._details += 1
        if tag == "pre":
            self._pre += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "details":
            self._details -= 1
        if tag == "pre":
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._pre and PYTHON_TEXT.search(data):
            self.text.append(data.strip())
        elif not self._skip and not self._pre and data.strip():
            self.text.append(data.strip())
            # Digests are for those who want them: inside a <details>, never in what an executive reads first.
            if not self._details and DIGEST_WORDS.search(data):
                self.exposed_digests.append(data.strip())


def _visible_problems(url: str, response) -> tuple[list[str], list[str]]:
    content_type = response.get("Content-Type", "")
    if "text/csv" in content_type:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        header = next(csv.reader(io.StringIO(body.decode())), [])
        return [f"{url} CSV header: {h}" for h in header if SLUG.search(h)], []
    if "text/html" not in content_type:
        return [], []
    parser = _Text()
    parser.feed(response.content.decode())
    found = [f"{url}: digest shown outside <details>: {t[:80]}" for t in parser.exposed_digests]
    found += [f"{url}: {t[:120]}" for t in parser.text if SLUG.search(t) and "@" not in t and "://" not in t]
    return found, parser.links


def _crawl(client, start: str) -> list[str]:
    seen, queue, problems, shapes = set(), [start], [], Counter()
    while queue and len(seen) < MAX_PAGES:
        url = urldefrag(queue.pop(0))[0]
        parts = urlparse(url)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        if url in seen or any(parts.path.startswith(p) for p in SKIP_PATHS):
            continue
        shape = re.sub(r"\d+", "N", parts.path)
        if shapes[shape] >= PER_PATTERN:
            continue
        shapes[shape] += 1
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        found, links = _visible_problems(url, response)
        problems += found
        queue += [link for link in links if link.startswith("/")]
    return problems


@pytest.mark.parametrize("who", ["csm", "admin", "customer"])
def test_no_slug_or_code_shows_anywhere_a_person_looks(seeded_demo, client, who):
    users = {
        "csm": User.objects.filter(is_staff=True, is_superuser=False).order_by("pk").first(),
        "admin": User.objects.filter(is_superuser=True).order_by("pk").first(),
        "customer": User.objects.filter(is_staff=False, stakeholder__is_approver=True).order_by("pk").first(),
    }
    client.force_login(users[who])
    start = "/client/" if who == "customer" else "/"
    problems = _crawl(client, start)
    print("\n".join(dict.fromkeys(problems)))
    assert problems == [], "\n".join(dict.fromkeys(problems))
