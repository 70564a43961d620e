"""The annotate page on a long article: first paint, key press → repaint and accept → repaint, in headless
Chromium driven by Playwright against gunicorn on 127.0.0.1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator_bench_long \\
        .venv/bin/python bench/annotate_long_article.py [--runs 5] [--before /tmp/before]

Each run of the script drops and recreates the benchmark database (its name must contain "bench"),
migrates it and builds, through the services the API calls: a project, an annotator, one article of
100,000 characters of news prose with quotes (accented names, the odd emoji), drafted by the
pre-annotator (`article_preannotate`, as on import), and 300 of the drafts accepted
(`suggestion_accept`, as the Accept button): **300 mentions and 500 pending suggestions**.
Then gunicorn serves the app of this checkout (or of `--code DIR`) with DEBUG off and collected static
files; with `--before DIR` (an earlier commit unpacked there with `git archive`) a second gunicorn serves
that code on the same database, and the page loads alternate between the two, so that the load other
people put on a shared machine falls on both alike.

Each page load is a fresh browser context (no cache). Times are taken in the page (performance.now(),
the key event's own timeStamp) up to the frame after the change (requestAnimationFrame, then a task:
the frame has been painted):
  page received navigation start → the page's HTML (with its JSON data) received: the server's share
  first paint   navigation start → the frame after the article and the sidebar are drawn (the page's
                `annotate:drawn` mark; code without it: as ready)
  ready         navigation start → the frame after `#article-body[data-ready]` (selecting is safe)
  key j         `j` (next mention: the editor opens on it, its mark and card are marked) → painted
  key d / i     the open mention's quote type → painted (the change is also queued for the server)
  focus         a click on a suggestion's card → painted
  accept        `a` on the focused suggestion → the frame in which its mention is in the Mentions list
  accept saved  `a` → the server's answer drawn (the save queue empty): includes the request
Medians over every interaction of every load. Last, "accept all direct quotes" of what is left, one
request from the page to the measured code. Progress goes to stderr, the tables to stdout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import OUT, ROOT, machine, say, setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/annotator_bench_long"
PORT = 8791  # the code measured; --before's server listens on the next port
CHARS = 100_000
SUGGESTIONS = 500
MENTIONS = 300

SPEAKERS = [
    "Recep Tayyip Erdoğan", "Kathryn Wheelbarger", "Mike Pence", "José Martínez", "Zoë Ångström", "Hulusi Akar",
    "Mevlüt Çavuşoğlu", "Jens Stoltenberg", "Ursula von der Leyen", "Olaf Scholz", "Emmanuel Macron",
    "Antony Blinken", "Ngozi Okonjo-Iweala", "Chen Wei", "Priya Raghunathan", "Björn Lindqvist",
]  # fmt: skip
QUOTES = [
    "We are determined to go ahead, whatever the cost", "There is no turning back now",
    "The sanctions will hurt ordinary people first", "This plan is reckless and it will fail",
    "Our alliance remains united on this question", "We will not back down under pressure",
    "The talks will resume next month in Geneva", "Nobody in this government wanted a crisis",
    "The economy can take the strain for a while 🚀", "Café owners have told us they are worried",
]  # fmt: skip
FILLER = [
    "The ministry published its figures on Tuesday morning.", "Markets were calm after the announcement.",
    "Analysts expect a decision before the end of the year.", "The deal has been discussed for months.",
    "Several diplomats declined to comment on the record.", "Officials in Ankara met their counterparts.",
]  # fmt: skip

# Installed before any script of the page runs: timestamps the frames after the page is ready and after
# each measured key press or click, into window.__bench.
HOOKS = """
window.__bench = { ready: null, drawn: null, samples: [], accept: null };
const painted = (record) => requestAnimationFrame(() => setTimeout(record, 0));
new MutationObserver((records, observer) => {
  const body = document.getElementById("article-body");
  if (body && body.dataset.ready) {
    observer.disconnect();
    painted(() => { window.__bench.ready = performance.now(); });
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
const mark = performance.mark.bind(performance); // seen as it is made (an observer hears of it frames later)
performance.mark = (name, ...rest) => {
  if (name === "annotate:drawn") painted(() => { window.__bench.drawn = performance.now(); });
  return mark(name, ...rest);
};
window.__measure = (kind, started) => painted(() => window.__bench.samples.push([kind, performance.now() - started]));
const mentionCards = () => document.querySelectorAll("#mention-list li").length;
addEventListener("keydown", (event) => {
  if (event.key === "a") window.__bench.accept = { started: event.timeStamp, cards: mentionCards(), shown: false };
  else if ("jdi".includes(event.key)) window.__measure("key " + event.key, event.timeStamp);
}, true);
addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-suggestion]")) window.__measure("focus", event.timeStamp);
}, true);
addEventListener("DOMContentLoaded", () => {
  const main = document.querySelector("main");
  const check = () => {
    const accept = window.__bench.accept;
    if (accept === null) return;
    if (!accept.shown && mentionCards() > accept.cards) {
      accept.shown = true;
      window.__measure("accept", accept.started);
    }
    if (accept.shown && main.dataset.pending === "0") {
      window.__bench.accept = null;
      window.__measure("accept saved", accept.started);
    }
  };
  new MutationObserver(check).observe(main, { attributes: true, attributeFilter: ["data-pending"] });
  new MutationObserver(check).observe(document.getElementById("mention-list"), { childList: true });
});
"""


def article_body(rng: random.Random) -> str:
    """News prose of CHARS characters: a direct quote with its speaker in most sentences, filler between."""
    paragraphs, length = [], 0
    while length < CHARS:
        sentences = []
        for _ in range(4):
            name, quote = rng.choice(SPEAKERS), rng.choice(QUOTES)
            if rng.random() < 0.75:
                sentences.append(f"“{quote},” {name} said.")
            else:
                sentences.append(f"{name} warned that {quote[0].lower()}{quote[1:]}.")
            sentences.append(rng.choice(FILLER))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:CHARS].rsplit(" ", 1)[0] + "\n"


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must contain 'bench'")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build() -> dict:
    """The project, the annotator's assignment on the long article, 300 mentions and 500 pending drafts."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from claims.models import Role, Suggestion
    from claims.services.articles import articles_import
    from claims.services.assignments import assignment_create
    from claims.services.projects import membership_set, project_create
    from claims.services.speakers import speaker_create
    from claims.services.suggestions import article_preannotate, suggestion_accept

    say("migrating")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    User = get_user_model()
    manager = User.objects.create_user("bench-manager")
    annotator = User.objects.create_user("bench-annotator")
    project = project_create(name="Long article", slug="long", created_by=manager, annotators_per_article=1,
                             preannotate_on_import=False)  # fmt: skip
    membership_set(project=project, user=annotator, role=Role.ANNOTATOR)
    for name in SPEAKERS[: len(SPEAKERS) // 2]:  # half in the catalogue, half proposed as new speakers
        speaker_create(project=project, name=name)
    body = article_body(random.Random(2026))
    row = {"external_id": "long-1", "title": "A long article", "body": body}
    report = articles_import(project=project, rows=[(1, row)])
    assert len(report.accepted) == 1, report.as_dict()
    article = project.articles.get()
    say(f"drafting attributions in {len(body):,} characters")
    article_preannotate(article=article)
    drafts = list(Suggestion.objects.filter(article=article).order_by("start"))
    if len(drafts) < SUGGESTIONS + MENTIONS:
        raise SystemExit(f"only {len(drafts)} drafts; the body needs more quotes")
    # Keep SUGGESTIONS + MENTIONS spread over the whole article, and accept MENTIONS of them spread as well.
    keep = [drafts[round(i * len(drafts) / (SUGGESTIONS + MENTIONS))] for i in range(SUGGESTIONS + MENTIONS)]
    Suggestion.objects.filter(article=article).exclude(pk__in=[d.pk for d in keep]).delete()
    work = assignment_create(article=article, annotator=annotator)
    say(f"accepting {MENTIONS} drafts")
    accepted = [keep[i * len(keep) // MENTIONS] for i in range(MENTIONS)]
    for draft in accepted:
        suggestion_accept(suggestion=draft, assignment=work)
    pending = Suggestion.objects.pending_for(work).count()
    assert (work.mentions.count(), pending) == (MENTIONS, SUGGESTIONS), (work.mentions.count(), pending)
    return {"assignment": work.pk, "annotator": annotator.pk, "chars": len(body)}


def collect_static(code: Path, static_root: Path) -> None:
    env = os.environ | {"DEBUG": "0", "STATIC_ROOT": str(static_root), "SECRET_KEY": "bench-only-not-secret"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=code, env=env,
                   check=True)  # fmt: skip


def start_server(code: Path, static_root: Path, log_path: Path, port: int) -> subprocess.Popen:
    env = os.environ | {"DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING",
                        "STATIC_ROOT": str(static_root), "SECRET_KEY": "bench-only-not-secret"}  # fmt: skip
    command = [sys.executable, "-m", "gunicorn", "annotator.wsgi", "--bind", f"127.0.0.1:{port}",
               "--worker-class", "gthread", "--workers", "2", "--threads", "8", "--timeout", "120"]  # fmt: skip
    process = subprocess.Popen(command, cwd=code, env=env, stderr=open(log_path, "w"))  # noqa: SIM115
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"gunicorn did not start; see {log_path}")


def session_cookie(user_id: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(pk=user_id)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": f"http://127.0.0.1:{PORT}"}


def settle(page, ms: int = 400) -> None:
    """Let the page finish what the last action started (smooth scrolling, saving) before the next one."""
    page.wait_for_selector("main[data-pending='0']", state="attached", timeout=60_000)
    page.wait_for_timeout(ms)


def one_load(browser, plan: dict, port: int, number: int, keys: int, accepts: int) -> dict:
    # bypass_csp: Playwright's polling predicates are evaluated as strings, which the page's CSP forbids.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=f"http://127.0.0.1:{port}",
                                  bypass_csp=True)  # fmt: skip
    context.add_cookies([plan["cookie"]])
    context.add_init_script(HOOKS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(60_000)
    page.goto(f"/assignments/{plan['assignment']}/")
    page.wait_for_function("window.__bench && window.__bench.ready !== null", timeout=60_000)
    ready, drawn, html = page.evaluate(
        "[window.__bench.ready, window.__bench.drawn, performance.getEntriesByType('navigation')[0].responseEnd]"
    )
    settle(page, 800)
    for n in range(keys):
        page.keyboard.press("j")
        settle(page)
        page.keyboard.press("d" if n % 2 else "i")
        settle(page)
    page.keyboard.press("Escape")
    pending = page.evaluate("JSON.parse(document.getElementById('page-data').textContent).suggestions.map((s) => s.id)")
    rng = random.Random(number)
    for suggestion in rng.sample(pending, accepts):
        card = page.locator(f"#suggestion-list li[data-suggestion='{suggestion}'] > button")
        if not card.is_visible():  # a collapsed group: open it first (not measured)
            page.locator(f"#suggestion-list li[data-suggestion='{suggestion}']").evaluate(
                "(li) => li.closest('section').querySelector('button[aria-expanded=false]').click()"
            )
            settle(page, 200)
        card.click()
        settle(page)
        page.keyboard.press("a")
        settle(page)
        page.wait_for_function("window.__bench.accept === null")
    samples = page.evaluate("window.__bench.samples")
    context.close()
    if errors:
        raise RuntimeError(f"JavaScript errors on the page: {errors}")
    # Code without the annotate:drawn mark draws and is ready in the same task.
    by_kind: dict[str, list[float]] = {"page received": [html], "first paint": [drawn if drawn is not None else ready],
                                       "ready": [ready]}  # fmt: skip
    for kind, ms in samples:
        by_kind.setdefault(kind, []).append(ms)
    return by_kind


BULK = """async (assignment) => {
  const headers = { "Content-Type": "application/json", "X-CSRFToken": document.querySelector("main").dataset.csrf };
  const pending = await (await fetch(`/api/assignments/${assignment}/suggestions/`)).json();
  const ids = pending.filter((s) => s.quote_type === "direct").map((s) => s.id);
  const started = performance.now();
  const response = await fetch(`/api/assignments/${assignment}/suggestions/decisions/`,
    { method: "POST", headers, body: JSON.stringify({ ids, decision: "accepted" }) });
  return { status: response.status, ids: ids.length, ms: performance.now() - started };
}"""


def bulk_accept(browser, plan: dict, port: int) -> dict:
    """'Accept all direct quotes' of what is left, as one request from the page (changes the data: run last)."""
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    context.add_cookies([plan["cookie"]])
    page = context.new_page()
    page.goto(f"/assignments/{plan['assignment']}/")
    page.wait_for_selector("#article-body[data-ready=true]", timeout=60_000)
    result = page.evaluate(BULK, plan["assignment"])
    context.close()
    assert result["status"] == 200, result
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="page loads")
    parser.add_argument("--keys", type=int, default=6, help="j and d/i presses per load")
    parser.add_argument("--accepts", type=int, default=4, help="suggestions focused and accepted per load")
    parser.add_argument("--code", default=str(ROOT), help="the checkout measured (default: this one)")
    parser.add_argument("--before", help="an earlier checkout (git archive) measured in the same run, in turns")
    parser.add_argument("--out", default=str(OUT / "annotate_long_article.json"))
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    recreate_database(os.environ["DATABASE_URL"])
    setup_django()
    plan = build()
    plan["cookie"] = session_cookie(plan["annotator"])  # before Playwright: its loop makes this an async context
    codes = {"after": Path(args.code).resolve()}
    if args.before:
        codes = {"before": Path(args.before).resolve()} | codes
    OUT.mkdir(parents=True, exist_ok=True)
    servers, static_roots = {}, []
    by_kind: dict[str, dict[str, list[float]]] = {name: {} for name in codes}
    loads = []
    try:
        for offset, (name, code) in enumerate(reversed(codes.items())):
            static_roots.append(Path(tempfile.mkdtemp(prefix="bench-static-")))
            collect_static(code, static_roots[-1])
            port = PORT + offset
            servers[name] = (port, start_server(code, static_roots[-1], OUT / f"annotate-long-{name}.log", port))
        from playwright.sync_api import sync_playwright

        chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            for number in range(1, args.runs + 1):
                # Both versions in turns, the first one alternating: the machine's load falls on both alike.
                names = list(codes) if number % 2 else list(reversed(codes))
                for name in names:
                    load = one_load(browser, plan, servers[name][0], number, args.keys, args.accepts)
                    loads.append({"code": name, **load})
                    for kind, values in load.items():
                        by_kind[name].setdefault(kind, []).extend(values)
                    medians = ", ".join(f"{k} {statistics.median(v):.0f} ms" for k, v in load.items())
                    say(f"load {number} {name}: {medians}")
            bulk = bulk_accept(browser, plan, servers["after"][0])
            browser.close()
    finally:
        for _port, server in servers.values():
            server.terminate()
            server.wait()
        for root in static_roots:
            shutil.rmtree(root, ignore_errors=True)
    load_average = os.getloadavg()
    targets = {"page received": None, "first paint": 1500, "ready": None, "key j": 50, "key d": 50, "key i": 50,
               "focus": 50, "accept": 150, "accept saved": None}  # fmt: skip
    print(f"\n{plan['chars']:,} characters, {MENTIONS} mentions, {SUGGESTIONS} suggestions; "
          + "; ".join(f"{name}: {code}" for name, code in codes.items())
          + f"; {args.runs} loads each; load average {load_average[0]:.1f} at the end\n")  # fmt: skip
    print("| interaction | " + " | ".join(f"{name}: median (min–max, n)" for name in codes) + " | target |")
    print("|---|" + "---|" * len(codes) + "---|")
    for kind, target in targets.items():
        cells = []
        for name in codes:
            values = by_kind[name].get(kind, [])
            cells.append(f"**{statistics.median(values):.0f} ms** ({min(values):.0f}–{max(values):.0f}, {len(values)})"
                         if values else "")  # fmt: skip
        print(f"| {kind} | " + " | ".join(cells) + f" | {f'≤ {target} ms' if target else ''} |")
    print(f"\nAccept all direct quotes (after): {bulk['ids']} suggestions in one request, {bulk['ms']:.0f} ms.")
    facts = {"machine": machine(), "code": {name: str(path) for name, path in codes.items()},
             "load_average": load_average, "plan": {k: v for k, v in plan.items() if k != "cookie"}}  # fmt: skip
    Path(args.out).write_text(json.dumps({"facts": facts, "loads": loads, "bulk_accept": bulk}, indent=1))
    say(f"raw numbers in {args.out}")


if __name__ == "__main__":
    main()
