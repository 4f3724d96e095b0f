"""Page weight of a respondent page, as a browser's first (cold-cache) load would fetch it.

Usage:  python bench/page_weight.py URL [--json] [--all-links]

Fetches URL with `Accept-Encoding: gzip`, parses the HTML for every resource a browser loads on first paint:
<link href> with a fetched rel (stylesheet, icon, preload, modulepreload, manifest, ...), <script src>,
<img src> / <source src> / <input type=image src> (first srcset candidate when there is no src), url() and
@import inside inline <style> and style="" attributes; then url() / @import inside every referenced stylesheet
(fonts, background images), recursively; an @import'ed stylesheet is render-blocking and counts with the
initial load. Each resource is fetched once (same URL = one request).

Per resource it reports:
  raw          bytes of the body after any Content-Encoding is undone (what the app produced)
  transferred  body bytes on the wire as served (= raw when the server does not compress)
  gzip6        len(gzip.compress(raw, 6)): the same "gzip-6 equivalent" as ../shared/peer/pageweight.py, so a
               server that does not compress (the peer) and one that does (surveyapp) compare like for like
Headers are not counted (neither does the peer kit). Redirects are followed by hand and counted as requests.

Totals are split like the peer kit's: INITIAL = HTML + resources referenced from the HTML + @imports
(the peer's `requests`/`bytes`/`gzip6`), CSS url() = resources referenced from stylesheets (the peer's
`font_refs`; a browser fetches at most one font format, and only when a glyph uses it), ALL = both.
--json prints one JSON line with the peer's keys (html_bytes, html_gzip6, requests, ok, bytes, gzip6,
font_refs, all_requests, all_bytes) plus transferred/gzip6 totals for every group and the per-resource rows.

Safety: only the given URL's origin is fetched, and that origin must be loopback (127.0.0.0/8, ::1,
localhost). References to any other origin are listed as "external", never fetched, and counted in
`external` (a CDN reference is a real cost and should be visible). Nothing is bound; stdlib only.
--all-links fetches every <link href> whatever its rel, exactly like the peer kit does (e.g. rel=alternate).
"""
import argparse
import gzip
import ipaddress
import json
import re
import sys
import urllib.error
import urllib.request
import zlib
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.parse import urldefrag, urljoin, urlsplit

UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/124.0 Mobile Safari/537.36")  # same as the peer kit
MAX_REDIRECTS = 5
# <link rel> values a browser fetches on load (rel=alternate/canonical/next/... are not fetched)
FETCHED_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed",
                "mask-icon", "preload", "modulepreload", "manifest"}
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(?:'([^']*)'|"([^"]*)"|([^'")\s;]+))""", re.I)
CSS_URL = re.compile(r"""url\(\s*(?:'([^']*)'|"([^"]*)"|([^'")\s][^)]*?))\s*\)""", re.I)


def is_loopback(host):
    if host is None:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def origin(url):
    u = urlsplit(url)
    return (u.scheme.lower(), (u.hostname or "").lower(), u.port or (443 if u.scheme == "https" else 80))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx; we follow by hand (same origin only)


class Fetcher:
    def __init__(self, base_origin):
        self.base_origin = base_origin
        self.opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar()))

    def one(self, url):
        """-> (status, wire_bytes, content_encoding, content_type, location)"""
        # only http(s) URLs of the checked loopback origin reach here (measure() and fetch() enforce it)
        req = urllib.request.Request(  # noqa: S310
            url, headers={"User-Agent": UA, "Accept-Encoding": "gzip"})
        try:
            with self.opener.open(req, timeout=15) as r:  # noqa: S310 (loopback http(s) only)
                return r.status, r.read(), r.headers.get("Content-Encoding", ""), \
                    r.headers.get("Content-Type", ""), None
        except urllib.error.HTTPError as e:
            h = e.headers
            enc, ctype = h.get("Content-Encoding", ""), h.get("Content-Type", "")
            return e.code, e.read(), enc, ctype, h.get("Location")

    def fetch(self, url, kind):
        """Follow redirects by hand; every hop is a row. Returns (rows, final_row)."""
        rows = []
        for _ in range(MAX_REDIRECTS + 1):
            status, wire, enc, ctype, loc = self.one(url)
            raw, note = decode(wire, enc)
            row = {"kind": kind, "url": url, "status": status, "raw": len(raw), "transferred": len(wire),
                   "gzip6": len(gzip.compress(raw, 6)), "enc": enc, "type": ctype.split(";")[0].strip(),
                   "note": note, "_body": raw}
            rows.append(row)
            if not (300 <= status < 400 and loc):
                break
            nxt = urljoin(url, loc)
            if origin(nxt) != self.base_origin:
                row["note"] = f"redirect to another origin not followed: {nxt}"
                break
            url, kind = nxt, kind + "(redir)"
        return rows, rows[-1]


def decode(wire, enc):
    enc = (enc or "").strip().lower()
    if enc in ("", "identity"):
        return wire, ""
    try:
        if enc in ("gzip", "x-gzip"):
            return gzip.decompress(wire), ""
        if enc == "deflate":
            try:
                return zlib.decompress(wire), ""
            except zlib.error:
                return zlib.decompress(wire, -zlib.MAX_WBITS), ""
    except (OSError, EOFError, zlib.error) as e:
        return wire, f"could not decode {enc}: {e}"
    return wire, f"unknown encoding {enc}: raw = transferred"


def css_refs(text):
    """-> [(is_import, ref)]: @import targets (always fetched, render-blocking) and other url() references."""
    out, spans = [], []
    for m in CSS_IMPORT.finditer(text):
        spans.append((m.start(), m.end()))
        out.append((True, next((g for g in m.groups() if g), "").strip()))
    for m in CSS_URL.finditer(text):
        if not any(a <= m.start() < b for a, b in spans):
            out.append((False, next((g for g in m.groups() if g), "").strip()))
    return [(imp, ref) for imp, ref in out
            if ref and not ref.startswith(("data:", "#", "about:", "javascript:"))]


class Refs(HTMLParser):
    def __init__(self, all_links):
        super().__init__(convert_charrefs=True)
        self.all_links = all_links
        self.refs = []          # (kind, ref) referenced from the HTML
        self.inline_css = []    # (kind, css text)
        self.base = None
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and a.get("href") and self.base is None:
            self.base = a["href"]
        elif tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split())
            if self.all_links or rels & FETCHED_RELS:
                self.refs.append(("link:" + (a.get("rel", "").lower() or "?"), a["href"]))
            else:
                self.refs.append(("skip:" + (a.get("rel", "").lower() or "?"), a["href"]))
        elif tag == "script" and a.get("src"):
            self.refs.append(("script", a["src"]))
        elif tag in ("img", "source") or (tag == "input" and a.get("type", "").lower() == "image"):
            srcset = a.get("srcset", "").split(",")[0].strip()
            src = a.get("src") or (srcset.split()[0] if srcset else "")
            if src:
                self.refs.append((tag, src))
        if tag == "style":
            self._in_style = True
        if a.get("style"):
            self.inline_css.append(("style-attr", a["style"]))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_css.append(("style", data))


def measure(url, all_links=False):
    u = urlsplit(url)
    if u.scheme not in ("http", "https") or not is_loopback(u.hostname):
        raise SystemExit(f"page_weight: refusing {url}: only http(s) on a loopback host is fetched")
    base_origin = origin(url)
    f = Fetcher(base_origin)
    seen = set()
    initial, css_rows, external, skipped = [], [], [], []

    hops, page = f.fetch(url, "html")
    initial.extend(hops)
    for r in hops:
        seen.add(r["url"])
    if page["status"] != 200:
        print(f"page_weight: {page['url']} answered HTTP {page['status']}", file=sys.stderr)
    p = Refs(all_links)
    p.feed(page["_body"].decode("utf-8", "replace"))
    doc_base = urljoin(page["url"], p.base) if p.base else page["url"]

    def resolve(base, ref):
        return urldefrag(urljoin(base, ref.strip()))[0]

    pending_css = []  # (stylesheet url, css text) whose url() refs are still to be fetched

    def take(kind, ref, base, group):
        if ref.startswith(("data:", "#", "javascript:", "about:", "blob:")):
            return
        full = resolve(base, ref)
        if full in seen:
            return
        seen.add(full)
        if kind.startswith("skip:"):
            skipped.append({"kind": kind, "url": full})
            return
        if origin(full) != base_origin:
            external.append({"kind": kind, "url": full})
            return
        hops, last = f.fetch(full, kind)
        group.extend(hops)
        for r in hops:
            seen.add(r["url"])
        is_css = last["type"] == "text/css" or urlsplit(last["url"]).path.endswith(".css")
        if last["status"] == 200 and is_css:
            pending_css.append((last["url"], last["_body"].decode("utf-8", "replace")))

    for kind, ref in p.refs:
        take(kind, ref, doc_base, initial)
    for kind, text in p.inline_css:  # inline CSS refs load with the page: counted with the initial group
        for imp, ref in css_refs(text):
            take(kind + ("-@import" if imp else "-url()"), ref, doc_base, initial)
    # @import'ed stylesheets join the initial group; other url() refs (fonts, images) do not
    while pending_css:
        css_url, text = pending_css.pop(0)
        for imp, ref in css_refs(text):
            if imp:
                take("css-@import", ref, css_url, initial)
            else:
                take("css-url()", ref, css_url, css_rows)
    return initial, css_rows, external, skipped


def totals(rows):
    return {"requests": len(rows), "ok": sum(r["status"] == 200 for r in rows),
            "raw": sum(r["raw"] for r in rows), "transferred": sum(r["transferred"] for r in rows),
            "gzip6": sum(r["gzip6"] for r in rows)}


def kib(n):
    return f"{n / 1024:,.1f} KiB"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url")
    ap.add_argument("--json", action="store_true", help="print one JSON line instead of the table")
    ap.add_argument("--all-links", action="store_true",
                    help="fetch every <link href> whatever its rel (as the peer kit does)")
    a = ap.parse_args()
    initial, css_rows, external, skipped = measure(a.url, a.all_links)
    ti, tc = totals(initial), totals(css_rows)
    ta = totals(initial + css_rows)
    html = initial[-1] if initial else None
    for r in initial:  # the final hop of the page itself
        if r["kind"].startswith("html"):
            html = r
    compressed = any(r["enc"] for r in initial + css_rows)
    ok_css = [r for r in css_rows if r["status"] == 200]

    if a.json:
        def strip(rows):
            return [{k: v for k, v in r.items() if k != "_body"} for r in rows]
        print(json.dumps({
            "url": a.url, "server_compresses": compressed,
            # the peer kit's keys (pageweight.py), same definitions (its bytes = raw; gzip6 of the raw body)
            "html_bytes": html["raw"], "html_gzip6": html["gzip6"],
            "requests": ti["requests"], "ok": ti["ok"],
            "bytes": ti["raw"], "gzip6": ti["gzip6"], "font_refs": len(css_rows),
            "all_requests": ta["requests"], "all_bytes": ti["raw"] + sum(r["raw"] for r in ok_css),
            # additions
            "html_transferred": html["transferred"], "transferred": ti["transferred"],
            "css_refs": tc, "all": ta, "external": external, "skipped_links": skipped,
            "resources": strip(initial) + strip(css_rows),
        }, separators=(",", ":")))
        return 0 if html["status"] == 200 else 1

    print(f"{'kind':22} {'status':>6} {'raw':>9} {'transferred':>11} {'gzip6':>8}  {'enc':5} url")

    def show(rows):
        for r in rows:
            print(f"{r['kind'][:22]:22} {r['status']:>6} {r['raw']:>9,} {r['transferred']:>11,} "
                  f"{r['gzip6']:>8,}  "
                  f"{(r['enc'] or '-'):5} {r['url']}" + (f"  [{r['note']}]" if r["note"] else ""))

    def line(label, t):
        print(f"{label}: requests={t['requests']} (200 OK: {t['ok']})  raw={t['raw']:,} B ({kib(t['raw'])})  "
              f"transferred={t['transferred']:,} B ({kib(t['transferred'])})  "
              f"gzip6={t['gzip6']:,} B ({kib(t['gzip6'])})")

    show(initial)
    if css_rows:
        print("-- referenced from CSS url() (a browser fetches at most one font format, only if used)")
        show(css_rows)
    print()
    print(f"server compression: {'yes' if compressed else 'none (transferred = raw)'}")
    line("INITIAL (HTML + CSS/JS/icon/img)", ti)
    line("CSS url() refs                  ", tc)
    line("ALL                             ", ta)
    if external:
        print(f"EXTERNAL (other origins, not fetched, a browser would): {len(external)}")
        for e in external:
            print(f"  {e['kind']:20} {e['url']}")
    if skipped:
        print(f"not fetched (<link rel> a browser does not load; --all-links to include): {len(skipped)}")
        for s in skipped:
            print(f"  {s['kind']:20} {s['url']}")
    return 0 if html["status"] == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
