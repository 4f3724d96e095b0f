"""Profile the respondent cycle in-process (no HTTP server): N new respondents, each GET + POST 20 answers.

Usage:  DATABASE_URL=... python bench/profile_cycle.py [-n 300] [--html out.html] [--no-profile]
  (the database migrated, bench/setup_survey.py run on it). Needs pyinstrument (pip install -e '.[bench]').
Prints the cycle rate of the WSGI app alone (no gunicorn, no client) and pyinstrument's call tree.
"""
import argparse
import re
import time

from surveyapp import create_app


def hidden_fields(html: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1)
    return fields


def cycle(app, path: str, body: dict) -> None:
    client = app.test_client()  # a new client = a new respondent without cookies
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    posted = client.post(path, data={**body, **hidden_fields(page.get_data(as_text=True))})
    assert posted.status_code == 302 and posted.headers["Location"].endswith("/thanks"), posted.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--slug", default="bench")
    parser.add_argument("--html")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-pre-ping", action="store_true", help="engine without pool_pre_ping (A/B only)")
    args = parser.parse_args()
    from setup_survey import ITEMS  # bench/ is on sys.path when run as a script

    app = create_app({"SQLALCHEMY_ENGINE_OPTIONS": {}} if args.no_pre_ping else None)
    body = {f"q_{code}": value for code, _, _, value in ITEMS} | {"nav": "submit"}
    path = f"/s/{args.slug}"
    for _ in range(20):  # warm up: imports, template compilation, connection pool
        cycle(app, path, body)
    profiler = None
    if not args.no_profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.n):
        cycle(app, path, body)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler:
        profiler.stop()
    print(f"{args.n} cycles in {elapsed:.2f} s: {args.n / elapsed:.1f} respondents/s in one process "
          f"({1000 * elapsed / args.n:.2f} ms per GET + POST; CPU {1000 * cpu / args.n:.2f} ms, "
          "test client included)")
    if profiler:
        if args.html:
            with open(args.html, "w") as out:
                out.write(profiler.output_html())
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
