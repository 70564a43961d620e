"""The simulated annotators of bench/load_annotators.py: one asyncio process, no Django.

It reads its plan (base URL, tokens, project ids, speakers, claims, phases) as JSON on stdin and
writes every measurement as JSON to the path given as its only argument. It runs in its own
process so that its CPU is measured apart from the server's, and it imports nothing of the app,
so what it knows is what a real client knows: the answers it got.

Why aiohttp: one event loop drives 100+ simulated people with a C HTTP parser and pooled
keep-alive connections; threads with requests would spend the shared 2 cores on the GIL and
thread switches, and httpx's pure-Python parser costs several times aiohttp's CPU per request.

Phases (each one's numbers are kept apart):
  annotators  N annotators doing the real flow, each action after a jittered think time
  floor       N clients doing GET /healthz after the same think time (the framework floor)
  exporters   clients exporting the project as jsonl (scope=all), read to the end, repeatedly
A phase may combine them (the main run does). After the main run the ledger of acknowledged
writes is checked against a fresh export.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass, field

import aiohttp
import psutil

EXPECTED = {
    "next": {200, 201},
    "read_article": {200},
    "mention_create": {201},
    "mention_edit": {200},
    "article_stance": {200, 201},
    "read_assignment": {200},
    "submit": {200},
    "healthz": {200},
    "export": {200},
}
MENTION_STANCES = ["support", "refute", "neutral", "query"]
ARTICLE_STANCES = ["support", "refute", "neutral", "query", "unrelated"]
DIRECT_CUES = ["said", "told reporters", "added", "warned"]
INDIRECT_CUES = ["argued", "claimed", "insisted", "warned"]


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    # Linear interpolation between closest ranks (numpy's default).
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- what a client reads in an article -----------------------------------------------------------
def mention_candidates(body: str, speakers: dict[str, int]) -> list[dict]:
    """Every quote the client can label in `body`, as mention payloads with code-point offsets.

    Python's str indices are code points, as the API wants: no conversion is needed here (a
    browser converts its UTF-16 positions at the boundary).
    """
    names = "|".join(re.escape(name) for name in sorted(speakers, key=len, reverse=True))
    direct = re.compile(rf"“(?P<content>[^”]+?),” (?P<name>{names}) (?P<cue>{'|'.join(DIRECT_CUES)})\.")
    indirect = re.compile(rf"(?P<name>{names}) (?P<cue>{'|'.join(INDIRECT_CUES)}) that (?P<content>[^.]+)\.")
    found = []
    for pattern, quote_type in ((direct, "direct"), (indirect, "indirect")):
        for match in pattern.finditer(body):

            def span(group: str, m=match) -> dict:
                return {"start": m.start(group), "end": m.end(group), "text": m.group(group)}

            found.append({**span("content"), "quote_type": quote_type, "speaker_id": speakers[match["name"]],
                          "source": span("name"), "cue": span("cue")})  # fmt: skip
    for payload in found:
        assert body[payload["start"] : payload["end"]] == payload["text"]
    return found


# --- measurements -----------------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    measure_from: float = 0.0
    measure_until: float = float("inf")
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[dict] = field(default_factory=list)
    export_first_byte: list[float] = field(default_factory=list)
    export_bytes: int = 0
    exhausted: int = 0
    ack_mismatches: int = 0

    def counts(self, started: float) -> bool:
        return self.measure_from <= started <= self.measure_until

    def record(self, op: str, started: float, seconds: float) -> None:
        if self.counts(started):
            self.latencies.setdefault(op, []).append(seconds * 1000)

    def error(self, op: str, started: float, what: str, detail: str = "") -> None:
        if not self.counts(started):
            return
        self.errors[op] = self.errors.get(op, 0) + 1
        if len(self.error_samples) < 30:
            self.error_samples.append({"op": op, "what": what, "detail": detail[:300]})

    def summary(self, seconds: float) -> dict:
        ops = {}
        for op, values in sorted(self.latencies.items()):
            ops[op] = {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
                       "p99": percentile(values, 99), "max": max(values), "mean": statistics.fmean(values),
                       "errors": self.errors.get(op, 0)}  # fmt: skip
        for op, count in self.errors.items():
            ops.setdefault(op, {"n": 0, "errors": count})
        if self.export_first_byte:
            ops["export_first_byte"] = {"n": len(self.export_first_byte),
                                        "p50": percentile(self.export_first_byte, 50),
                                        "p95": percentile(self.export_first_byte, 95),
                                        "p99": percentile(self.export_first_byte, 99),
                                        "max": max(self.export_first_byte), "errors": 0}  # fmt: skip
        interactive = [v for op, values in self.latencies.items() if op not in ("export", "healthz") for v in values]
        flow = sum(len(v) for op, v in self.latencies.items() if op not in ("export", "healthz"))
        return {
            "phase": self.name,
            "seconds": seconds,
            "ops": ops,
            "requests": sum(len(v) for v in self.latencies.values()),
            "flow_requests": flow,
            "flow_requests_per_s": flow / seconds if seconds else None,
            "flow_p50": percentile(interactive, 50),
            "flow_p99": percentile(interactive, 99),
            "errors": sum(self.errors.values()),
            "error_samples": self.error_samples,
            "export_bytes": self.export_bytes,
            "exhausted": self.exhausted,
            "ack_mismatches": self.ack_mismatches,
        }


class Ledger:
    """Every write the server acknowledged, with what was written; the last acknowledged edit wins."""

    def __init__(self) -> None:
        self.mentions: dict[int, dict] = {}
        self.stances: dict[tuple[int, str, int], str] = {}
        self.submitted: set[tuple[int, str]] = set()
        self.writes = 0

    def mention(self, mention_id: int, article: int, annotator: str, values: dict) -> None:
        self.writes += 1
        self.mentions[mention_id] = {"article": article, "annotator": annotator, "values": dict(values)}

    def mention_edit(self, mention_id: int, changes: dict) -> None:
        self.writes += 1
        self.mentions[mention_id]["values"].update(changes)

    def stance(self, article: int, annotator: str, claim: int, stance: str) -> None:
        self.writes += 1
        self.stances[(article, annotator, claim)] = stance

    def submit(self, article: int, annotator: str) -> None:
        self.writes += 1
        self.submitted.add((article, annotator))

    def check(self, lines: list[dict], annotators: set[str]) -> dict:
        """Compare with an export: every acknowledged write must be there with its values."""
        work = {}
        for line in lines:
            for annotation in line["annotations"]:
                if not annotation["gold"]:
                    work[(line["article"]["id"], annotation["annotator"])] = annotation
        problems: list[str] = []
        exported_ids = set()
        for (_article, annotator), annotation in work.items():
            if annotator in annotators:
                exported_ids.update(m["id"] for m in annotation["mentions"])
        for mention_id, entry in self.mentions.items():
            annotation = work.get((entry["article"], entry["annotator"]))
            exported = next((m for m in annotation["mentions"] if m["id"] == mention_id), None) if annotation else None
            if exported is None:
                problems.append(f"mention {mention_id} missing")
                continue
            want = entry["values"]
            got = {"start": exported["start"], "end": exported["end"], "text": exported["text"],
                   "quote_type": exported["quote_type"], "stance": exported["stance"],
                   "speaker_id": (exported["speaker"] or {}).get("id"), "claim_id": (exported["claim"] or {}).get("id"),
                   "source": exported["source"], "cue": exported["cue"]}  # fmt: skip
            differs = {k: (want.get(k), got[k]) for k in got if want.get(k) != got[k]}
            if differs:
                problems.append(f"mention {mention_id} differs: {differs}")
        for (article, annotator, claim), stance in self.stances.items():
            annotation = work.get((article, annotator))
            stances = annotation["article_stances"] if annotation else []
            exported = [s["stance"] for s in stances if s["claim"]["id"] == claim]
            if exported != [stance]:
                problems.append(f"article stance {article}/{annotator}/{claim}: {stance!r} acknowledged, {exported}")
        for article, annotator in self.submitted:
            annotation = work.get((article, annotator))
            if annotation is None or annotation["status"] != "submitted":
                problems.append(f"submit of {article}/{annotator} lost ({annotation and annotation['status']})")
        unacknowledged = exported_ids - set(self.mentions)
        return {
            "acknowledged_writes": self.writes,
            "mentions": len(self.mentions),
            "article_stances": len(self.stances),
            "submits": len(self.submitted),
            "lost_or_wrong": len(problems),
            "problems": problems[:20],
            "exported_lines": len(lines),
            # Mentions in the export that no acknowledgement announced (a write whose answer was lost).
            "unacknowledged_mentions": len(unacknowledged),
        }


class CpuMeter:
    """CPU seconds of the client itself, the gunicorn processes, the PostgreSQL backends serving the
    benchmark database, and the whole machine; what is left over is other work on the machine."""

    def __init__(self, gunicorn_pid: int, database: str):
        self.me = psutil.Process()
        self.gunicorn = psutil.Process(gunicorn_pid)
        self.database = f" {database} "
        self.known: dict[str, dict[int, float]] = {}
        self.totals = {"gunicorn": 0.0, "postgres": 0.0}

    @staticmethod
    def _seconds(process: psutil.Process) -> float | None:
        try:
            t = process.cpu_times()
        except psutil.Error:
            return None
        return t.user + t.system

    def _gunicorn(self) -> dict[int, float]:
        processes = [self.gunicorn, *self.gunicorn.children(recursive=True)]
        return {p.pid: s for p in processes if (s := self._seconds(p)) is not None}

    def _postgres(self) -> dict[int, float]:
        """Backends whose title names the benchmark database ("postgres: 15/main: postgres annotator_load …")."""
        times = {}
        for p in psutil.process_iter(["name", "cmdline"]):
            title = " ".join(p.info["cmdline"] or [])
            is_ours = p.info["name"] in ("postgres", "postmaster") and self.database in title
            if is_ours and (seconds := self._seconds(p)) is not None:
                times[p.pid] = seconds
        return times

    def sample(self) -> None:
        """Add up the CPU each process used since the last sample. Called twice a second: backends
        come and go (a connection lives DB_CONN_MAX_AGE seconds), and a process's CPU is gone with it."""
        for name, current in (("gunicorn", self._gunicorn()), ("postgres", self._postgres())):
            known = self.known.get(name)
            if known is not None:
                self.totals[name] += sum(seconds - known.get(pid, 0.0) for pid, seconds in current.items())
            self.known[name] = current

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(0.5)

    def snapshot(self) -> dict:
        self.sample()
        machine = psutil.cpu_times()
        busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0)
        return {"wall": time.perf_counter(), "client": self._seconds(self.me), "machine": busy, **self.totals}

    @staticmethod
    def delta(a: dict, b: dict) -> dict:
        wall = b["wall"] - a["wall"]

        def tree(name: str) -> float:
            return (b[name] - a[name]) / wall

        cores = {"client_cores": (b["client"] - a["client"]) / wall, "gunicorn_cores": tree("gunicorn"),
                 "postgres_cores": tree("postgres"), "machine_cores": (b["machine"] - a["machine"]) / wall}  # fmt: skip
        mine = cores["client_cores"] + cores["gunicorn_cores"] + cores["postgres_cores"]
        return cores | {"other_cores": max(0.0, cores["machine_cores"] - mine), "cores": psutil.cpu_count()}


class LoopLag:
    """How late the event loop wakes up: if the client were the bottleneck, this would grow."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.running = True

    async def run(self) -> None:
        while self.running:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            self.lags.append((time.perf_counter() - before - 0.01) * 1000)

    def take(self) -> dict:
        lags, self.lags = self.lags, []
        return {"p50_ms": percentile(lags, 50), "p99_ms": percentile(lags, 99), "max_ms": max(lags, default=None)}


# --- the simulated people -------------------------------------------------------------------------
class Run:
    def __init__(self, plan: dict, session: aiohttp.ClientSession):
        self.plan = plan
        self.base = plan["base_url"]
        self.session = session
        # Per project: its speakers by name (what a client would look up) and its tracked claims' ids.
        self.vocabulary = {int(pid): words for pid, words in plan["projects"].items()}
        self.phase: Phase | None = None
        self.ledger: Ledger | None = None
        self.done = 0

    async def call(self, op: str, method: str, path: str, token: str, *, body=None, if_match: str | None = None):
        """One request: (status, headers, parsed JSON or None), or None after a connection error or timeout."""
        headers = {"Authorization": f"Token {token}"}
        if if_match is not None:
            headers["If-Match"] = if_match
        phase = self.phase
        started = time.perf_counter()
        try:
            async with self.session.request(method, self.base + path, json=body, headers=headers) as response:
                raw = await response.read()
                seconds = time.perf_counter() - started
                status = response.status
                response_headers = response.headers
        except (aiohttp.ClientError, TimeoutError) as error:
            phase.error(op, started, type(error).__name__, str(error))
            return None
        self.done += 1
        phase.record(op, started, seconds)
        if status == 204 and op == "next":
            return status, response_headers, None
        if status not in EXPECTED[op]:
            phase.error(op, started, f"HTTP {status}", raw.decode(errors="replace"))
            return None
        return status, response_headers, (json.loads(raw) if raw else None)

    async def think(self, think: float, stop_at: float) -> bool:
        """Wait like a person (think time ±50 %); False once the phase is over."""
        if think > 0:
            await asyncio.sleep(random.uniform(0.5, 1.5) * think)
        return time.perf_counter() < stop_at

    async def annotator(self, user: dict, project: int, think: float, stop_at: float, ledger: Ledger | None) -> None:
        token, name = user["token"], user["username"]
        speakers, claims = self.vocabulary[project]["speakers"], self.vocabulary[project]["claims"]
        rng = random.Random(user["username"])
        if think > 0:
            await asyncio.sleep(rng.uniform(0, think))  # arrive spread out, not all at once
        while time.perf_counter() < stop_at:
            answer = await self.call("next", "POST", f"/api/projects/{project}/assignments/next/", token)
            if answer is None:
                await asyncio.sleep(max(think, 0.2))
                continue
            if answer[0] == 204:
                self.phase.exhausted += 1
                return
            assignment = answer[2]
            work, article_id = assignment["id"], assignment["article"]["id"]
            if not await self.think(think, stop_at):
                return
            answer = await self.call("read_article", "GET", f"/api/articles/{article_id}/", token)
            if answer is None:
                continue
            body = answer[2]["body"]
            candidates = mention_candidates(body, speakers)
            existing = {(m["start"], m["end"]) for m in assignment["mentions"]}  # resumed work keeps its labels
            candidates = [c for c in candidates if (c["start"], c["end"]) not in existing]
            chosen = rng.sample(candidates, min(len(candidates), rng.randint(3, 6)))
            created = []
            for payload in chosen:
                if rng.random() < 0.7:
                    payload = payload | {"claim_id": rng.choice(claims), "stance": rng.choice(MENTION_STANCES)}
                else:
                    payload = payload | {"claim_id": None, "stance": None}
                if not await self.think(think, stop_at):
                    return
                answer = await self.call("mention_create", "POST", f"/api/assignments/{work}/mentions/", token,
                                         body=payload)  # fmt: skip
                if answer is None:
                    continue
                mention = answer[2]
                if ledger is not None:
                    ledger.mention(mention["id"], article_id, name, payload)
                    self._compare_ack(mention, payload)
                created.append((mention["id"], answer[1]["ETag"], payload))
            if created:
                mention_id, tag, payload = rng.choice(created)
                if payload["claim_id"] is not None:
                    changes = {"stance": rng.choice([s for s in MENTION_STANCES if s != payload["stance"]])}
                else:
                    changes = {"quote_type": "mixed"}
                if not await self.think(think, stop_at):
                    return
                answer = await self.call("mention_edit", "PATCH", f"/api/mentions/{mention_id}/", token,
                                         body=changes, if_match=tag)  # fmt: skip
                if answer is not None and ledger is not None:
                    ledger.mention_edit(mention_id, changes)
                    self._compare_ack(answer[2], payload | changes)
            if not await self.think(think, stop_at):
                return
            claim, stance = rng.choice(claims), rng.choice(ARTICLE_STANCES)
            answer = await self.call("article_stance", "POST", f"/api/assignments/{work}/article-stances/", token,
                                     body={"claim_id": claim, "stance": stance})  # fmt: skip
            if answer is not None and ledger is not None:
                ledger.stance(article_id, name, claim, stance)
            # As the annotate page does: read the assignment's current version, then submit with it.
            if not await self.think(think, stop_at):
                return
            answer = await self.call("read_assignment", "GET", f"/api/assignments/{work}/", token)
            if answer is None:
                continue
            if not await self.think(think, stop_at):
                return
            answer = await self.call("submit", "PATCH", f"/api/assignments/{work}/", token,
                                     body={"status": "submitted"}, if_match=answer[1]["ETag"])  # fmt: skip
            if answer is not None and ledger is not None:
                ledger.submit(article_id, name)
            if not await self.think(think, stop_at):
                return

    def _compare_ack(self, mention: dict, payload: dict) -> None:
        echoed = {"start": mention["start"], "end": mention["end"], "text": mention["text"],
                  "quote_type": mention["quote_type"], "stance": mention["stance"],
                  "speaker_id": (mention["speaker"] or {}).get("id"), "claim_id": (mention["claim"] or {}).get("id"),
                  "source": mention["source"], "cue": mention["cue"]}  # fmt: skip
        if any(payload.get(k) != v for k, v in echoed.items()):
            self.phase.ack_mismatches += 1

    async def floor(self, think: float, stop_at: float) -> None:
        if think > 0:
            await asyncio.sleep(random.uniform(0, think))
        while time.perf_counter() < stop_at:
            phase, started = self.phase, time.perf_counter()
            try:
                async with self.session.get(self.base + "/healthz") as response:
                    raw = await response.read()
                    seconds, status = time.perf_counter() - started, response.status
            except (aiohttp.ClientError, TimeoutError) as error:
                phase.error("healthz", started, type(error).__name__, str(error))
            else:
                self.done += 1
                phase.record("healthz", started, seconds)
                if status != 200 or raw != b"ok":
                    phase.error("healthz", started, f"HTTP {status}", raw.decode(errors="replace"))
            if not await self.think(think, stop_at):
                return

    async def export(self, project: int, token: str) -> list[bytes] | None:
        """One full jsonl export, read to the end: its lines (kept only when asked for), or None."""
        phase, started = self.phase, time.perf_counter()
        path = f"/api/projects/{project}/export/?format=jsonl&scope=all"
        timeout = aiohttp.ClientTimeout(total=None, sock_read=120)
        try:
            async with self.session.get(self.base + path, headers={"Authorization": f"Token {token}"},
                                        timeout=timeout) as response:  # fmt: skip
                if response.status != 200:
                    phase.error("export", started, f"HTTP {response.status}", (await response.read()).decode())
                    return None
                chunks = [await response.content.readany()]
                first_byte = time.perf_counter() - started
                async for chunk in response.content.iter_chunked(256 * 1024):
                    chunks.append(chunk)
        except (aiohttp.ClientError, TimeoutError) as error:
            phase.error("export", started, type(error).__name__, str(error))
            return None
        self.done += 1
        phase.record("export", started, time.perf_counter() - started)
        if phase.counts(started):
            phase.export_first_byte.append(first_byte * 1000)
            phase.export_bytes += sum(len(c) for c in chunks)
        return chunks

    async def exporter(self, project: int, token: str, pause: float, stop_at: float) -> None:
        while time.perf_counter() < stop_at:
            if await self.export(project, token) is None:
                await asyncio.sleep(1)
            if pause:
                await asyncio.sleep(random.uniform(0.5, 1.5) * pause)

    async def phase_run(self, spec: dict, cpu: CpuMeter, lag: LoopLag) -> dict:
        """Run one phase; measure from `warmup` seconds in to its end."""
        name, seconds, warmup = spec["name"], spec["seconds"], spec.get("warmup", 0.0)
        now = time.perf_counter()
        phase = Phase(name, measure_from=now + warmup, measure_until=now + seconds)
        self.phase = phase
        ledger = Ledger() if spec.get("ledger") else None
        stop_at = now + seconds
        tasks = []
        users = self.plan["users"][: spec.get("annotators", 0)]
        for user in users:
            tasks.append(self.annotator(user, spec["project"], spec["think"], stop_at, ledger))
        for _ in range(spec.get("floor", 0)):
            tasks.append(self.floor(spec["think"], stop_at))
        for _ in range(spec.get("exporters", 0)):
            tasks.append(self.exporter(spec["project"], self.plan["manager_token"], spec.get("export_pause", 0),
                                       stop_at))  # fmt: skip
        say(f"phase {name}: {len(users)} annotators, {spec.get('floor', 0)} floor clients, "
            f"{spec.get('exporters', 0)} exporters, think {spec['think']} s, {seconds} s")  # fmt: skip
        gathered = asyncio.gather(*tasks)
        progress = asyncio.create_task(self.progress(phase, stop_at))
        await asyncio.sleep(warmup)
        lag.take()
        before = cpu.snapshot()
        await asyncio.sleep(max(0.0, stop_at - time.perf_counter()))
        after = cpu.snapshot()
        loop_lag = lag.take()
        await gathered  # the last requests in flight finish (measured only if they started in time)
        progress.cancel()
        result = phase.summary(seconds - warmup) | {"cpu": CpuMeter.delta(before, after), "loop_lag": loop_lag,
                                                    "spec": {k: v for k, v in spec.items() if k != "name"}}  # fmt: skip
        if ledger is not None:
            say("ledger: exporting the project to check every acknowledged write")
            self.phase = Phase("ledger")
            chunks = await self.export(spec["project"], self.plan["manager_token"])
            if chunks is None:
                result["ledger"] = {"error": "the final export failed", "samples": self.phase.error_samples}
            else:
                lines = [json.loads(line) for line in b"".join(chunks).splitlines() if line.strip()]
                result["ledger"] = ledger.check(lines, {u["username"] for u in users})
            say(f"ledger: {result['ledger']}"[:400])
        self._say_result(result)
        return result

    async def progress(self, phase: Phase, stop_at: float) -> None:
        started = time.perf_counter()
        while True:
            await asyncio.sleep(10)
            creates = phase.latencies.get("mention_create", [])[-200:]
            p50 = percentile(creates, 50)
            say(
                f"  {phase.name}: {time.perf_counter() - started:.0f} s, {self.done:,} requests so far, "
                f"{sum(phase.errors.values())} errors, recent mention_create p50 "
                f"{'-' if p50 is None else f'{p50:.1f} ms'}, {max(0, stop_at - time.perf_counter()):.0f} s left"
            )

    @staticmethod
    def _say_result(result: dict) -> None:
        parts = []
        for op, row in result["ops"].items():
            if row.get("p50") is not None:
                parts.append(f"{op} n={row['n']} p50={row['p50']:.1f} p99={row['p99']:.1f}")
        cpu = result["cpu"]
        say(
            f"phase {result['phase']} done: {result['flow_requests_per_s'] or 0:.0f} flow req/s, "
            f"{result['errors']} errors; client {cpu['client_cores']:.2f} cores, gunicorn {cpu['gunicorn_cores']:.2f}, "
            f"postgres {cpu['postgres_cores']:.2f}, machine {cpu['machine_cores']:.2f} "
            f"(others {cpu['other_cores']:.2f}); "
            f"loop lag p99 {result['loop_lag']['p99_ms'] or 0:.1f} ms\n    " + "; ".join(parts)
        )


async def main(plan: dict) -> dict:
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=plan.get("client_keepalive", 15))
    timeout = aiohttp.ClientTimeout(total=plan.get("request_timeout", 30))
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        run = Run(plan, session)
        cpu, lag = CpuMeter(plan["gunicorn_pid"], plan["database"]), LoopLag()
        lag_task = asyncio.create_task(lag.run())
        cpu_task = asyncio.create_task(cpu.run())
        results = []
        for spec in plan["phases"]:
            results.append(await run.phase_run(spec, cpu, lag))
        lag.running = False
        await lag_task
        cpu_task.cancel()
    return {"phases": results}


if __name__ == "__main__":
    plan = json.load(sys.stdin)
    outcome = asyncio.run(main(plan))
    with open(sys.argv[1], "w") as out:
        json.dump(outcome, out, indent=1)
