#!/usr/bin/env python3
"""Rebuild eval/real/articles.jsonl from git mirrors of public datasets.

Usage:
    python eval/real/build.py [--mirror-root /work/.mirror] [--out eval/real/articles.jsonl]

Each dataset is read from ``<mirror-root>/<owner>+<name>/repo`` (a bare git dir,
or a work tree with ``.git``) at the commit pinned below, with ``git`` itself
(stdlib + the git binary only; no network). The output is deterministic: fixed
commits, a fixed seed, items sorted by id, duplicates removed by normalised text.
See SOURCE.md for licences; several sources do not allow redistribution, so the
built file is meant to stay out of git (commit ids + labels + this script only).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

SEED = 20240610
MAX_CHARS = 20_000

# dataset key -> (repo dir under the mirror root, pinned commit)
REPOS = {
    "gnad10k": ("tblock+10kGNAD", "da845fe4a16f02a8de10903ffbc636d1c8d21862"),
    "fakebr": ("roneysco+Fake.br-Corpus", "780f5516c4ae070761632d98ac3368f3ded09d35"),
    "bbc": ("dejanbatanjac+bbc-article-classify-bert", "8265dc84e88b82b87ce7f5b2df5bbbb1159ae922"),
    "fakes_es": ("jpposadas+FakeNewsCorpusSpanish", "732f4870abd8d3f5ab4956fd92b040a7913614e3"),
    "thucnews": ("649453932+Chinese-Text-Classification-Pytorch", "6cb26819af7b646275aff8a4693676f2849e67f6"),
    "dice": ("federicarollo+Italian-Crime-News", "e5569dd0557ed90e365c7107bd74f29d8f5cd131"),
    "gdprhub": ("mnov88+eurlextract", "b564ea7f0b19464a28380e328f284be7eb9ed3e4"),
    "articlemd": ("bertmad3400+articleMD", "94d264b07d8be5160c637d6b1d8d46d28bfcd6be"),
    "simpleanalytics": ("simpleanalytics+blog", "aba0a769fed351035c23adb75c3fba0fba36d0db"),
    "safespring": ("safespring+web", "8159f9fe584b49f93496f1a58c994a3efa02459a"),
    # round 3 (2026-12-02): blogs of a sovereign-cloud project, an EU analytics vendor and two
    # technologists writing in German and Dutch (labels/round3.tsv)
    "scs": ("SovereignCloudStack+website", "5ee35411fd917fee0d7e2f84687caaa8b1563a5c"),
    "plausible": ("plausible+website", "cee14c92ab3134ba0efaeaf328904be9da8f4692"),
    "isotopp": ("isotopp+isotopp.github.io", "06217f42c2b20f104d3afc95f31b40883a422889"),
    "alpernl": ("alper+alpernl", "f1746b100ea46e594b9d2dc1e24c85b116418cb3"),
    # round 4 (2026-12-02): privacy-tool makers' blogs (labels/round4.tsv)
    "privacyguides": ("privacyguides+privacyguides.org", "45d7263305dce3ba354dfd37079ecc24f3dd8427"),
    "cryptpad": ("cryptpad+blog", "915e0dc847e6ebf989e0e15a5a4c6eb36c4675cb"),
    # round 5 (2026-12-02): Chinese laws and regulations (labels/round5.tsv)
    "zhlaw": ("LawRefBook+Laws", "2f4c5c23716267af9dbebbbbd6cbbf732b101981"),
    "typeoflegal": ("zer0rg+type-of-legal", "3732a69fa4541376498fb8ff0e386035abb07176"),
}

# how many items to take from each dataset (None = all)
CAPS = {
    "gnad10k": None,  # 1,028 (test split)
    "fakebr": 1200,  # of 3,600 true news
    "bbc": 1800,  # of 2,225
    "fakes_es": None,  # 1,233 (true + fake)
    "thucnews": 1000,  # of 10,000 test headlines
    "dice": 1000,  # of ~10,370
    "gdprhub": 800,  # of ~3,800; all Chapter V / transfer cases first
    "articlemd": None,  # policy-cue articles all, plus fixed samples of the rest (see take_articlemd)
    "simpleanalytics": None,  # all 69 posts
    "safespring": None,  # all English blog posts
    "scs": None,  # every de/en post but release notes and advisories
    "plausible": None,  # every post and article but tool pages
    "isotopp": None,  # German posts: all with a topic cue + 60 sampled (load_isotopp)
    "alpernl": None,  # Dutch posts: all with a topic cue + 60 sampled (load_alpernl)
    "privacyguides": None,  # every post but job ads
    "cryptpad": None,  # every en/fr post but job ads
    "zhlaw": None,  # all with a topic cue in the title or a data-export cue in the text + 60 sampled (load_zhlaw)
    "typeoflegal": None,  # every post but a duplicate, a press note and two link stubs
}


class Repo:
    def __init__(self, root: Path, dirname: str, commit: str):
        d = root / dirname / "repo"
        if (d / ".git").is_dir():
            d = d / ".git"
        if not d.is_dir():
            raise SystemExit(f"missing mirror: {d}")
        self.git_dir = str(d)
        self.commit = commit
        try:
            self._git("cat-file", "-e", commit + "^{commit}")
        except subprocess.CalledProcessError:
            raise SystemExit(f"{dirname}: pinned commit {commit} not in mirror") from None

    def _git(self, *args: str, data: bytes | None = None) -> bytes:
        return subprocess.run(
            ["git", "--git-dir", self.git_dir, *args],
            input=data,
            capture_output=True,
            check=True,
        ).stdout

    def ls(self, prefix: str) -> list[str]:
        out = self._git("ls-tree", "-r", "-z", "--name-only", self.commit, "--", prefix)
        return sorted(p for p in out.decode("utf-8").split("\0") if p)

    def read(self, path: str) -> bytes:
        return self._git("show", f"{self.commit}:{path}")

    def read_many(self, paths: list[str]) -> dict[str, bytes]:
        """Read many blobs with one `git cat-file --batch`."""
        req = "".join(f"{self.commit}:{p}\n" for p in paths).encode("utf-8")
        out = self._git("cat-file", "--batch", data=req)
        res, pos = {}, 0
        for p in paths:
            nl = out.index(b"\n", pos)
            header = out[pos:nl].split()
            if len(header) < 3 or header[1] != b"blob":
                pos = nl + 1
                continue
            size = int(header[2])
            res[p] = out[nl + 1 : nl + 1 + size]
            pos = nl + 1 + size + 1
        return res


def clean(s: str) -> str:
    s = s.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    s = re.sub(r"[ \t\u00a0]+", " ", s)
    s = re.sub(r"\n\s*\n+", "\n\n", s)
    return s.strip()


def cap(s: str) -> str:
    """The first MAX_CHARS characters, cut at a word; where the last space is far back (Chinese has
    few), at a line break; failing both, at MAX_CHARS."""
    if len(s) <= MAX_CHARS:
        return s
    cut = s[:MAX_CHARS]
    for sep in (" ", "\n"):
        i = cut.rfind(sep)
        if i >= MAX_CHARS * 0.9:
            return cut[:i]
    return cut


def first_sentence(text: str, limit: int = 180) -> str:
    line = text.strip().split("\n", 1)[0]
    m = re.match(r"(.{20,}?[.!?])(\s|$)", line)
    t = m.group(1) if m else line
    return t if len(t) <= limit else t[:limit].rsplit(" ", 1)[0] + " …"


def item(id_, lang, title, text, dataset, url, genre, label=None):
    d = {
        "id": id_,
        "lang": lang,
        "title": clean(title),
        "text": cap(clean(text)),
        "source_dataset": dataset,
        "original_url": url or None,
        "genre": genre,
    }
    if label:
        d["source_label"] = label
    return d


def sample(items: list[dict], n: int | None, key: str) -> list[dict]:
    items = sorted(items, key=lambda d: d["id"])
    if n is None or len(items) <= n:
        return items
    return sorted(random.Random(f"{SEED}:{key}").sample(items, n), key=lambda d: d["id"])


# ---------------------------------------------------------------- datasets

GNAD_GENRE = {
    "Web": "tech",
    "Wirtschaft": "business",
    "Inland": "politics",
    "International": "politics",
    "Etat": "news",
    "Sport": "news",
    "Panorama": "news",
    "Kultur": "news",
    "Wissenschaft": "news",
}


def load_gnad10k(r: Repo) -> list[dict]:
    raw = r.read("test.csv").decode("utf-8")
    out = []
    for label, text in csv.reader(io.StringIO(raw), delimiter=";", quotechar="'"):
        h = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
        out.append(
            item(
                f"10kgnad:test:{h}",
                "de",
                first_sentence(text),
                text,
                "10kGNAD",
                None,
                GNAD_GENRE.get(label, "news"),
                label,
            )
        )
    return out


FAKEBR_GENRE = {"politica": "politics", "economia": "business", "ciencia_tecnologia": "tech"}


def load_fakebr(r: Repo) -> list[dict]:
    texts = [p for p in r.ls("full_texts/true/") if p.endswith(".txt")]
    metas = {p: f"full_texts/true-meta-information/{Path(p).stem}-meta.txt" for p in texts}
    blobs = r.read_many(texts + list(metas.values()))
    out = []
    for p in texts:
        text = blobs[p].decode("utf-8", "replace")
        meta = blobs.get(metas[p], b"").decode("utf-8", "replace").splitlines()
        url = meta[1].strip() if len(meta) > 1 else None
        cat = meta[2].strip() if len(meta) > 2 else ""
        out.append(
            item(
                f"fakebr:true:{Path(p).stem}",
                "pt",
                first_sentence(text),
                text,
                "Fake.br-Corpus (true)",
                url,
                FAKEBR_GENRE.get(cat, "news"),
                cat,
            )
        )
    return out


BBC_GENRE = {"business": "business", "politics": "politics", "tech": "tech", "sport": "news", "entertainment": "news"}


def load_bbc(r: Repo) -> list[dict]:
    paths = [p for p in r.ls("bbc/") if p.endswith(".txt") and p.count("/") == 2]
    blobs = r.read_many(paths)
    out = []
    for p in paths:
        raw = blobs[p].decode("latin-1").strip()
        title, _, body = raw.partition("\n")
        cat = p.split("/")[1]
        out.append(
            item(
                f"bbc:{cat}/{Path(p).stem}",
                "en",
                title,
                body,
                "BBC News (Greene & Cunningham 2006)",
                None,
                BBC_GENRE[cat],
                cat,
            )
        )
    return out


def _xlsx_rows(data: bytes) -> list[list[str]]:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
    rows = []
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = {}
        for c in row.findall("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            v = c.find("m:v", ns)
            if c.get("t") == "s" and v is not None:
                val = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                val = "".join(t.text or "" for t in c.iter(f"{{{ns['m']}}}t"))
            else:
                val = v.text if v is not None else ""
            cells[col] = val
        rows.append([cells.get(k, "") for k in "ABCDEFG"])
    return rows


ES_GENRE = {"Politics": "politics", "Economy": "business", "Science": "tech", "Security": "security"}


def load_fakes_es(r: Repo) -> list[dict]:
    out = []
    for split in ("train", "development", "test"):
        rows = _xlsx_rows(r.read(f"{split}.xlsx"))
        header = [h.strip().lower() for h in rows[0]]
        for row in rows[1:]:
            rec = dict(zip(header, row, strict=False))
            text = rec.get("text", "")
            if not text.strip():
                continue
            cls = rec.get("category", "")
            topic = rec.get("topic", "")
            out.append(
                item(
                    f"fakes-es:{split}:{rec.get('id', '').strip()}",
                    "es",
                    rec.get("headline", ""),
                    text,
                    "Spanish Fake News Corpus",
                    rec.get("link", ""),
                    ES_GENRE.get(topic, "news"),
                    f"{cls}/{topic}",
                )
            )
    return out


THUC_GENRE = {
    "finance": "business",
    "stocks": "business",
    "realty": "business",
    "science": "tech",
    "politics": "politics",
}


def load_thucnews(r: Repo) -> list[dict]:
    classes = r.read("THUCNews/data/class.txt").decode("utf-8").split()
    out = []
    for n, line in enumerate(r.read("THUCNews/data/test.txt").decode("utf-8").splitlines()):
        if "\t" not in line:
            continue
        title, lab = line.rsplit("\t", 1)
        cat = classes[int(lab)]
        out.append(
            item(
                f"thucnews:test:{n:05d}",
                "zh",
                title,
                title,
                "THUCNews headlines (test split)",
                None,
                THUC_GENRE.get(cat, "news"),
                cat,
            )
        )
    return out


def _detok_it(tokens: list[str]) -> str:
    s = " ".join(tokens)
    s = re.sub(r" ([.,;:!?)\]»”])", r"\1", s)
    s = re.sub(r"([(\[«“]) ", r"\1", s)
    s = re.sub(r"(\w) ['’] (?=\w)", r"\1'", s)
    s = re.sub(r" \" ([^\"]*?) \"", r' "\1"', s)
    return s


def load_dice(r: Repo) -> list[dict]:
    paths = [p for p in r.ls("annotation csv/") if p.endswith(".csv")]
    blobs = r.read_many(paths)
    out = []
    for p in paths:
        rows = list(csv.reader(io.StringIO(blobs[p].decode("utf-8", "replace"))))
        toks = [row[0] for row in rows[1:] if row]
        text = _detok_it(toks)
        if len(text) < 200:
            continue
        out.append(
            item(
                f"dice:{Path(p).stem}",
                "it",
                first_sentence(text),
                text,
                "DICE Italian Crime News (Gazzetta di Modena)",
                None,
                "news",
                "crime",
            )
        )
    return out


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _gdprhub_parse(md: str) -> tuple[str, str, str, bool] | None:
    m = re.match(r"#\s+(.+)", md)
    if not m:
        return None
    title = m.group(1).strip()
    court = "**Court:**" in md
    law = re.search(r"\*\*Relevant Law:\*\*\s*(.*)", md)
    # one-paragraph abstract: the first paragraph after the "Initial Contributor" line
    abstract = ""
    i = md.find("**Initial Contributor:**")
    if i >= 0:
        rest = md[i:].split("\n", 1)[-1].lstrip("\n")
        para = rest.split("\n\n", 1)[0]
        if not para.startswith("#"):
            abstract = para
    j = md.find("## English Summary")
    if j < 0:
        return None
    tail = md[j + len("## English Summary") :]
    ends = [
        k
        for k in (
            tail.find("\n## Comment"),
            tail.find("\n## Further Resources"),
            tail.find("\n## English Machine Translation"),
        )
        if k >= 0
    ]
    body = tail[: min(ends)] if ends else tail[:MAX_CHARS]
    body = re.sub(r"^### ", "", body, flags=re.M)
    text = "\n\n".join(x for x in (abstract, body) if x)
    text = _MD_LINK.sub(r"\1", text).replace("**", "")
    return title, text, (law.group(1) if law else ""), court


# Round 2 (2026-12-02, labels/gdprhub2.tsv): the case summaries not sampled above that name two
# different cues of state access, AI systems, third countries or cloud providers: more real
# positives for government_access and ai_regulation, and GDPR cases that look like them.
GDPRHUB_CUE2 = re.compile(
    r"\b(police|law enforcement|intelligence service\w*|security service\w*|Article 48|artificial intelligence"
    r"|AI system\w*|facial recognition|biometric|United States|U\.S\.|third countr\w*|cloud|Microsoft|Google|Meta"
    r"|ChatGPT|OpenAI|data retention|surveillance)\b",
    re.I,
)


def _gdprhub_round2(d: dict) -> bool:
    cues = {m.group(0).lower() for m in GDPRHUB_CUE2.finditer(d["title"] + " " + d["text"])}
    return len(cues) >= 2


def load_gdprhub(r: Repo) -> list[dict]:
    paths = [p for p in r.ls("fast_scrape/machine_translations_md_clean/") if p.endswith(".md")]
    blobs = r.read_many(paths)
    out = []
    for p in paths:
        parsed = _gdprhub_parse(blobs[p].decode("utf-8", "replace"))
        if not parsed:
            continue
        title, text, law, court = parsed
        if len(text) < 200:
            continue
        transfer = bool(re.search(r"Article 4[4-9]\b", law)) or bool(
            re.search(
                r"\b(third countr|international transfer|data transfer|adequacy|standard contractual)", text, re.I
            )
        )
        stem = Path(p).stem.removeprefix("MT_")
        d = item(
            f"gdprhub:{stem}",
            "en",
            title,
            text,
            "GDPRhub (noyb) case summaries",
            None,
            "court" if court else "regulator",
            "transfer" if transfer else "gdpr",
        )
        out.append(d)
    return out


# articleMD: security/tech press scraped as markdown (BleepingComputer, ZDNet, Threatpost, The Record, ...)
ARTICLEMD_GENRE = {"zdnet": "tech", "computerworld": "tech"}  # every other folder is security press
_MD_IMG = re.compile(r"!\[[^\]]*\]\([^)]*\)")
# policy cues: every article that carries one is kept (the possible positives, read and labelled by hand)
ARTICLEMD_POLICY = re.compile(
    r"\b(GDPR|data protection (authority|regulator|law|commission)|privacy shield|schrems|adequacy decision"
    r"|standard contractual|(cross-border|international) (data|transfer)|data locali[sz]|data residency"
    r"|data sovereignty|digital sovereignty|sovereign cloud|Gaia-X|mass surveillance|FISA|CLOUD Act|lawful access"
    r"|Digital Services Act|Digital Markets Act|Online Safety (Act|Bill)|AI Act|Cyberspace Administration|PIPL"
    r"|Personal Information Protection Law|Data Security Law|CNIL|Information Commissioner|Data Protection Commission"
    r"|privacy regulator|privacy watchdog|data transfer)",
    re.I,
)
# hard-negative cues (malware backdoors, crypto, surveillanceware, bans): a fixed sample of these
ARTICLEMD_HARD = re.compile(
    r"\b(backdoor|encrypt\w*|crypto\w*|spyware|surveillance|intercept\w*|wiretap|law enforcement|intelligence agenc"
    r"|Chinese government|Beijing|Kremlin|ban(ned|s)?|transfer(red|s)?|locali[sz]ation|sovereign)",
    re.I,
)

# state-surveillance / platform-law headlines: every one is kept too (read and labelled by hand)
ARTICLEMD_STATE_TITLE = re.compile(
    r"\b(Pegasus|NSO|surveillance|Europol|PJCIS|TOLA|intelligence oversight|Great Firewall|antitrust"
    r"|competition authority|sideloading|App Store payment|regulated as telcos|interference law|anti-trolling|eSafety"
    r"|China Telecom|national security review|law enforcement will go|encrypted messaging apps"
    r"|end-to-end encryption rollout|facial recognition|spying on critics|Huawei and ZTE|incidental collection)\b",
    re.I,
)


def _articlemd_parse(md: str) -> tuple[str, str, str] | None:
    m = re.match(r"#\s+(.+)", md)
    i = md.find("## Article:")
    if not m or i < 0:
        return None
    link = re.search(r"^\+ Link:\s*(?:\[[^\]]*\]\(([^)]+)\)|(\S+))", md, re.M)
    url = (link.group(1) or link.group(2)) if link else ""
    body = _MD_IMG.sub("", md[i + len("## Article:") :])
    body = _MD_LINK.sub(r"\1", body).replace("**", "")
    return m.group(1).strip(), body, url


def load_articlemd(r: Repo) -> list[dict]:
    paths = [p for p in r.ls(".") if p.endswith(".md") and p.count("/") == 1]
    blobs = r.read_many(paths)
    out = []
    for p in paths:
        parsed = _articlemd_parse(blobs[p].decode("utf-8", "replace"))
        if not parsed:
            continue
        title, text, url = parsed
        if len(text.strip()) < 200:
            continue
        site = p.split("/")[0]
        blob = title + "\n" + text
        cue = "policy" if ARTICLEMD_POLICY.search(blob) else "hard" if ARTICLEMD_HARD.search(blob) else "other"
        out.append(
            item(
                f"articlemd:{site}/{Path(p).stem}",
                "en",
                title,
                text,
                "articleMD security/tech press",
                url,
                ARTICLEMD_GENRE.get(site, "security"),
                f"{site}/{cue}",
            )
        )
    return out


def take_articlemd(items: list[dict]) -> list[dict]:
    """All policy-cue articles, 120 hard-negative-cue ones and 200 others (seeded samples),
    plus every remaining article whose headline names state surveillance or a platform law."""
    by = {c: [d for d in items if d["source_label"].endswith("/" + c)] for c in ("policy", "hard", "other")}
    got = sample(by["policy"], None, "articlemd:p") + sample(by["hard"], 120, "articlemd:h")
    got += sample(by["other"], 200, "articlemd:o")
    ids = {d["id"] for d in got}
    got += [d for d in items if d["id"] not in ids and ARTICLEMD_STATE_TITLE.search(d["title"])]
    ids = {d["id"] for d in got}
    got += [dict(d, round=2) for d in items if d["id"] not in ids and _articlemd_round2(d)]
    return sorted(got, key=lambda d: d["id"])


# Round 2 (2026-12-02, labels/articlemd2.tsv): the articles not taken above that name state access,
# surveillance or platform law twice, or whose headline pairs a state actor with a privacy cue (and
# the reverse). More real positives of the weakest topic (government_access), and the hard
# negatives that sit next to them (police warnings, NSA security advisories, spyware patches).
ARTICLEMD_CUE2 = re.compile(
    r"\b(surveillance|spyware|lawful|wiretap\w*|intercept(ion|ed)|facial recognition|NSO|Pegasus|FISA"
    r"|law enforcement access|subpoena\w*|warrant|privacy (law|bill|regulat\w*)|data protection|antitrust"
    r"|censorship|content moderation|online harms|app store|encryption)\b",
    re.I,
)
ARTICLEMD_ACTOR = re.compile(
    r"\b(law enforcement|police|FBI|NSA|GCHQ|intelligence (agenc|service|communit)|government|ministry|regulator"
    r"|watchdog|lawmakers|Congress|Senate|Parliament|court|judge|bill|legislation|law|authorities|state-sponsored"
    r"|Commission)\b",
    re.I,
)
ARTICLEMD_PRIVACY = re.compile(
    r"(surveil|spyware|intercept|encrypt|backdoor|privacy|facial recognition|censor|personal data|user data"
    r"|data protection|ban)",
    re.I,
)


def _articlemd_round2(d: dict) -> bool:
    lead = d["title"] + "\n" + d["text"][:700]
    return bool(
        len(ARTICLEMD_CUE2.findall(d["title"] + " " + d["text"])) >= 2
        or (ARTICLEMD_ACTOR.search(d["title"]) and ARTICLEMD_PRIVACY.search(lead))
        or (ARTICLEMD_PRIVACY.search(d["title"]) and ARTICLEMD_ACTOR.search(lead))
    )


def _front_matter(blob: bytes) -> tuple[str, str] | None:
    """(front matter, body) of a Markdown post with a ``---`` YAML header, or None."""
    m = re.match(r"---\n(.*?)\n---\n(.*)", blob.decode("utf-8", "replace"), re.S)
    return (m.group(1), m.group(2)) if m else None


def _markdown_to_text(body: str) -> str:
    """Markdown (and inline HTML) to plain text: no images, tags, link targets, bold or headings."""
    body = re.sub(r"<[^>]+>", " ", _MD_IMG.sub("", body))
    body = _MD_LINK.sub(r"\1", body).replace("**", "")
    return re.sub(r"^#+\s*", "", body, flags=re.M)


def load_simpleanalytics(r: Repo) -> list[dict]:
    paths = [p for p in r.ls("_posts/") if p.endswith(".md")]
    blobs = r.read_many(paths)
    out = []
    for p in paths:
        parsed = _front_matter(blobs[p])
        if parsed is None:
            continue
        front, body = parsed
        t = re.search(r'^title:\s*"?(.*?)"?\s*$', front, re.M)
        lang = re.search(r"^lang:\s*(\w+)", front, re.M)
        body = re.sub(r"\{%.*?%\}", "", body, flags=re.S)
        body = _markdown_to_text(body)
        slug = Path(p).stem
        out.append(
            item(
                f"simpleanalytics:{slug}",
                lang.group(1) if lang else "en",
                t.group(1) if t else slug,
                body,
                "Simple Analytics blog",
                "https://www.simpleanalytics.com/blog/" + slug[11:],
                "tech",
                "blog",
            )
        )
    return out


# tagged "En" but not English news text: a Swedish press release and a lorem-ipsum test page
SAFESPRING_SKIP = {"2026-02-johan-harrysson-vd", "2023-11-mermaid-test"}


def load_safespring(r: Repo) -> list[dict]:
    """English posts of a Swedish cloud provider's blog (sovereignty, CLOUD Act, Schrems II)."""
    paths = [
        p
        for prefix in ("content/blogg/", "content/en/whitepaper/")
        for p in r.ls(prefix)
        if p.endswith(".md") and not p.endswith("_index.md")
    ]
    blobs = r.read_many(paths)
    out = []
    for p in paths:
        parsed = _front_matter(blobs[p])
        if parsed is None:
            continue
        front, body = parsed
        lang = re.search(r'^language:\s*"?(\w+)', front, re.M)
        if not lang or lang.group(1).lower() != "en" or Path(p).stem in SAFESPRING_SKIP:
            continue
        t = re.search(r'^title:\s*"?(.*?)"?\s*$', front, re.M)
        intro = re.search(r'^intro:\s*"?(.*?)"?\s*$', front, re.M)
        body = re.sub(r"\{\{<.*?>\}\}", " ", body, flags=re.S)
        body = _markdown_to_text(body)
        if intro and intro.group(1):
            body = intro.group(1) + "\n\n" + body
        if len(body.strip()) < 200:
            continue
        out.append(
            item(
                f"safespring:{'whitepaper/' if '/whitepaper/' in p else ''}{Path(p).stem}",
                "en",
                t.group(1) if t else Path(p).stem,
                body,
                "Safespring blog",
                None,
                "tech",
                "whitepaper" if "/whitepaper/" in p else "blog",
            )
        )
    return out


# GDPRxiv (lawfulcomputing/GDPRxiv, MIT): DPA decisions/opinions in national languages, read one by one with the
# search tool's read_file (the snapshot is over the fetch limit) and saved verbatim under extra/gdprxiv/ (committed)
GDPRXIV_DIR = Path(__file__).with_name("extra") / "gdprxiv"


def load_gdprxiv(root: Path = GDPRXIV_DIR) -> list[dict]:
    """The saved GDPRxiv excerpts, in path order (no git mirror needed)."""
    out = []
    for f in sorted(root.glob("**/*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        out.append(
            item(
                d["id"],
                d["lang"],
                d["title"],
                d["text"],
                d["source_dataset"],
                d.get("original_url"),
                d["genre"],
                d.get("source_label"),
            )
        )
    return out


# ---------------------------------------------------------------- round 3

# Loader for the Sovereign Cloud Stack (OSBA, Germany) website blog: SovereignCloudStack/website.
# Posts are Jekyll Markdown under _i18n/{de,en}/_posts/{blog,announcements}/. Untranslated German
# entries are symlinks to the English file (their blob is a path, not front matter) and are skipped.
# Selection rule (fewer than 250 posts, so no sampling): every post in de or en, except
# release announcements (release<N>, *-upcoming, osism-7-1-0), security advisories
# (CVE notices, advisory-*, bind9-DoS, CPU-leak notices) and bodies under 200 chars;
# the language is the folder's, checked against a stopword count (a post in de/ written in English is kept as en).


SCS_SKIP = re.compile(r"release\d|release\d-upcoming|osism-7-1-0|cve-|advisory-|bind9-dos|cpu-leaks|cpu-vulns", re.I)
_SCS_DE = re.compile(r"\b(und|der|die|das|nicht|mit|für|wir|ist|eine|auch|werden)\b", re.I)
_SCS_EN = re.compile(r"\b(and|the|with|for|we|is|are|this|that|not|will)\b", re.I)


def load_scs(r) -> list[dict]:
    paths = [p for lang in ("de", "en") for p in r.ls(f"_i18n/{lang}/_posts/") if p.endswith(".md")]
    blobs = r.read_many(paths)
    out, seen = [], set()
    for p in paths:
        slug = Path(p).stem
        if SCS_SKIP.search(slug):
            continue
        parsed = _front_matter(blobs.get(p, b""))
        if parsed is None:
            continue
        front, body = parsed
        t = re.search(r'^title:\s*["\']?(.*?)["\']?\s*$', front, re.M)
        body = re.sub(r"\{%.*?%\}", " ", body, flags=re.S)
        body = _markdown_to_text(body)
        if len(body.strip()) < 200:
            continue
        lang = p.split("/")[1]
        if lang == "de" and len(_SCS_EN.findall(body)) > len(_SCS_DE.findall(body)):
            lang = "en"
        key = f"{lang}/{slug}"
        if key in seen:
            continue
        seen.add(key)
        kind = p.split("/")[3]
        url = "https://scs.community/" + ("de/" if lang == "de" else "") + slug[11:]
        out.append(
            item(
                f"scs:{key}",
                lang,
                t.group(1) if t else slug,
                body,
                "Sovereign Cloud Stack blog",
                url,
                "tech",
                "announcement" if kind == "announcements" else "blog",
            )
        )
    return out


# Loader for the Plausible Analytics (Estonia/EU) website: plausible/website.
# Blog posts (_posts/*.md) and marketing articles (_articles/*.md), Jekyll Markdown, all English.
# Selection rule (fewer than 250 files, so no sampling): every blog post and every article except
# interactive tool pages (calculators, UTM builder/checker, tools index, any page opening with the
# "All tools" back-link), the feature list and the data-policy page; monthly "recap" build logs are
# kept (real prose); bodies under 200 chars are skipped.


PLAUSIBLE_SKIP = re.compile(r"calculator|^utm-|^tools$|^features$|^data_policy$")


def _plausible_field(front: str, key: str) -> str | None:
    """A YAML scalar that may be folded over indented continuation lines."""
    m = re.search(rf"^{key}:[ \t]*(.*(?:\n[ \t]+\S.*)*)", front, re.M)
    if not m:
        return None
    v = " ".join(x.strip() for x in m.group(1).split("\n")).strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
    return v or None


def load_plausible(r) -> list[dict]:
    paths = [p for d in ("_posts/", "_articles/") for p in r.ls(d) if p.endswith(".md")]
    blobs = r.read_many(paths)
    out = []
    for p in paths:
        stem = Path(p).stem
        is_post = p.startswith("_posts/")
        if not is_post and PLAUSIBLE_SKIP.search(stem):
            continue
        parsed = _front_matter(blobs.get(p, b""))
        if parsed is None:
            continue
        front, body = parsed
        body = re.sub(r"\{%.*?%\}", " ", body, flags=re.S)
        body = _markdown_to_text(body)
        if len(body.strip()) < 200 or body.lstrip().startswith("\u2190 All tools"):
            continue
        title = _plausible_field(front, "title") or stem
        if is_post:
            slug = _plausible_field(front, "slug") or stem[11:]
            url = "https://plausible.io/blog/" + slug
            key = stem
        else:
            perm = _plausible_field(front, "permalink") or "/" + stem
            url = "https://plausible.io" + perm
            key = "article/" + stem
        out.append(
            item(
                f"plausible:{key}",
                "en",
                title,
                body,
                "Plausible Analytics blog",
                url,
                "tech",
                "blog" if is_post else "vendor article",
            )
        )
    return out


# isotopp/isotopp.github.io: Kristian Köhntopp's blog (Hugo, content/posts/<date-slug>/index.md, tags lang_de/lang_en).
# Only the posts tagged lang_de are taken (a few of them are in English: lang is set by a
# function-word count). Selection rule: every German post whose title or text has a topic cue
# (ISOTOPP_CUE: DSGVO/GDPR, Safe Harbor, Privacy Shield, Schrems, Angemessenheit, Drittland, Datenübermittlung,
# (digitale) Souveränität, Vorratsdatenspeicherung, Staats-/Bundestrojaner, Quellen-TKÜ, Online-Durchsuchung,
# Überwachung, Geheimdienst, BND, NSA, Verfassungsschutz, Chatkontrolle, Netzsperren, NetzDG, Uploadfilter,
# Leistungsschutzrecht, DSA/DMA, CLOUD Act, Kryptoverbot/Crypto Wars, Gesichtserkennung, Bestandsdaten), plus a
# seeded sample (random.Random("20240610:isotopp")) of 60 of the other German posts as negatives.
# Posts under 200 characters of text are skipped.


ISOTOPP_CUE = re.compile(
    r"(DSGVO|Datenschutz-?grundverordnung|\bGDPR\b|Safe Harbou?r|Privacy Shield|Schrems|Angemessenheits"
    r"|Drittl(and|änder)"
    r"|Daten(ü|ue)bermittlung|Datentransfer|Souver(ä|ae)nit(ä|ae)t|souver(ä|ae)ne|Vorratsdatenspeicherung|\bVDS\b"
    r"|(Staats|Bundes)trojaner|Quellen-?TK(Ü|UE)|Online-?Durchsuchung|(Ü|Ue)berwachung|Geheimdienst|\bBND\b|\bNSA\b"
    r"|Verfassungsschutz|Chat-?kontrolle|Netzsperre|Zugangserschwerung|NetzDG|Netzwerkdurchsetzung|Uploadfilter"
    r"|Leistungsschutzrecht|Digital Services Act|Digital Markets Act|CLOUD Act|Kryptoverbot|Crypto ?Wars"
    r"|Gesichtserkennung|Bestandsdaten|Lawful Interception|Snowden|PRISM)",
    re.I,
)


_DE_WORDS = re.compile(r"\b(der|die|und|das|ist|nicht|ein|eine|mit|auf|sich|dass|daß)\b", re.I)
_EN_WORDS = re.compile(r"\b(the|and|is|of|to|that|with|this|are|for)\b", re.I)


def _isotopp_lang(text: str) -> str:
    """Some posts tagged lang_de are in English: decide by counting common function words."""
    return "de" if len(_DE_WORDS.findall(text)) >= len(_EN_WORDS.findall(text)) else "en"


def _hugo_title(front: str, default: str) -> str:
    """The front matter's title, unquoted (Hugo writes some in quotes with escaped quotes inside)."""
    t = re.search(r"^title:\s*(.*?)\s*$", front, re.M)
    title = t.group(1).strip() if t else default
    if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
        title = title[1:-1].replace('\\"', '"')
    return title


def _cued_and_sample(cued: list[dict], rest: list[dict], key: str, n: int = 60) -> list[dict]:
    """Every cued item plus a seeded sample of ``n`` others, by id."""
    rest.sort(key=lambda d: d["id"])
    return sorted(cued + random.Random(f"{SEED}:{key}").sample(rest, min(n, len(rest))), key=lambda d: d["id"])


def load_isotopp(r) -> list[dict]:
    cued, rest = [], []
    for p, front, body in _posts(r, "content/posts/", parse=_front_matter, suffix="/index.md"):
        if "lang_de" not in front:
            continue
        title = _hugo_title(front, Path(p).parent.name)
        body = re.sub(r"\{\{[<%].*?[>%]\}\}", " ", body, flags=re.S)
        body = re.sub(r"```.*?```", " ", body, flags=re.S)
        body = _markdown_to_text(body)
        if len(clean(body)) < 200:
            continue
        slug = Path(p).parent.name
        # the old Jekyll URL kept as a Hugo alias (redirects to the post); None when the post has no alias
        alias = re.search(r"^aliases:\s*\n\s*-\s*(\S+)", front, re.M)
        d = item(
            f"isotopp:{slug}",
            _isotopp_lang(body),
            title,
            body,
            "Kristian Köhntopp blog (Die wunderbare Welt von Isotopp)",
            ("https://blog.koehntopp.info" + alias.group(1)) if alias else None,
            "tech",
            "cue" if ISOTOPP_CUE.search(title + " " + body) else "sample",
        )
        (cued if d["source_label"] == "cue" else rest).append(d)
    return _cued_and_sample(cued, rest, "isotopp")


# alper/alpernl: Alper Çuğun's blog (Hugo, content/posts/<slug>/index.md, 2004-), posts in Dutch and English.
# Only Dutch posts are taken (language decided by a function-word count: at least 5, and more
# Dutch than English function words).
# Selection rule: every Dutch post whose title or text has a topic cue (ALPERNL_CUE: AVG/GDPR, privacy(wet), Privacy
# Shield, Safe Harbor, Schrems, adequaat, doorgifte, soevereiniteit, dataretentie/bewaarplicht, sleepwet/Wiv, AIVD/MIVD,
# NSA, Snowden, surveillance, aftappen/afluisteren, cameratoezicht, gezichtsherkenning, encryptie, DSA/DMA, AI Act,
# CLOUD Act, Bits of Freedom, Autoriteit Persoonsgegevens/CBP), plus a seeded sample (random.Random("20240610:alpernl"))
# of 60 other Dutch posts as negatives. Posts under 200 characters of text are skipped.


ALPERNL_CUE = re.compile(
    r"(\bAVG\b|GDPR|privacy|Privacy Shield|Safe Harbou?r|Schrems|adequa|doorgifte|soevereiniteit|sovereign"
    r"|dataretentie|bewaarplicht|sleepwet|\bWiv\b|\bAIVD\b|\bMIVD\b|\bNSA\b|Snowden|surveillance|aftap|afluister"
    r"|cameratoezicht|gezichtsherkenning|encryptie|Digital Services Act|Digital Markets Act|\bDSA\b|\bDMA\b|AI Act"
    r"|CLOUD Act|Bits of Freedom|Autoriteit Persoonsgegevens|College bescherming persoonsgegevens|\bCBP\b)",
    re.I,
)
_NL_WORDS = re.compile(r"\b(de|het|een|en|niet|van|dat|is|op|voor|met)\b", re.I)


def load_alpernl(r) -> list[dict]:
    cued, rest = [], []
    for p, front, body in _posts(r, "content/posts/", parse=_front_matter):
        nl_words = len(_NL_WORDS.findall(body))
        if nl_words < 5 or nl_words <= len(_EN_WORDS.findall(body)):
            continue
        slug = Path(p).parent.name if p.endswith("/index.md") else Path(p).stem
        title = _hugo_title(front, slug)
        body = re.sub(r"\{\{[<%].*?[>%]\}\}", " ", body, flags=re.S)
        body = _markdown_to_text(body)
        if len(clean(body)) < 200:
            continue
        if not title.strip():  # a few posts have an empty title: use the first sentence
            title = first_sentence(clean(body))
        d = item(
            f"alpernl:{slug}",
            "nl",
            title,
            body,
            "Alper Çuğun blog (alper.nl)",
            f"https://alper.nl/posts/{slug}/",  # hugo.yaml permalinks: posts: /posts/:contentbasename/
            "tech",
            "cue" if ALPERNL_CUE.search(title + " " + body) else "sample",
        )
        (cued if d["source_label"] == "cue" else rest).append(d)
    return _cued_and_sample(cued, rest, "alpernl")


# ---------------------------------------------------------------- round 4

# Loaders for two privacy-tool makers' blogs (search area: privacy and security tool makers):
#  - privacyguides/privacyguides.org: the Privacy Guides articles/blog, blog/posts/*.md (MkDocs Material
#    blog, English). Licence: CC BY-SA 4.0 (LICENSE).
#  - cryptpad/blog: the CryptPad (XWiki SAS, France) blog, posts/*.md (Eleventy, English and French via
#    `lang: fr`). No licence stated.
# Selection rule (each repo has fewer than 250 posts, so no sampling): every post in en/fr with at least
# 200 chars of prose, except job ads (privacyguides job-openings, cryptpad Join-the-team).


PRIVACYGUIDES_SKIP = frozenset({"job-openings"})
CRYPTPAD_SKIP = frozenset({"Join-the-team"})


def _strip_md(body: str) -> str:
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    body = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", body, flags=re.S)
    body = re.sub(
        r'^\s*(!!!|\?\?\?\+?)[ \w-]*?(?:"(.*?)")?\s*$', lambda m: m.group(2) or "", body, flags=re.M
    )  # admonition heads
    body = re.sub(r"\{[ .#][^}\n]*\}", "", body)  # attribute lists { .md-button }
    body = re.sub(r"\{\s*(?:align|width|loading|itemprop|class)=[^}\n]*\}", "", body)  # {align=right ...}
    body = re.sub(r":(?:material|octicons|simple|fontawesome|flag)[-_][\w-]+:", "", body)  # MkDocs icon shortcodes
    body = re.sub(r"^\s*\[\^?[\w-]+\]:\s*\S+.*$", "", body, flags=re.M)  # link reference definitions
    return _markdown_to_text(body)


def _fm(blob: bytes):
    """_front_matter after dropping a UTF-8 BOM, CRLF line ends and trailing blanks after the
    closing --- (several CryptPad posts have them)."""
    if blob.startswith(b"\xef\xbb\xbf"):
        blob = blob[3:]
    blob = re.sub(rb"(?m)^---[ \t]+$", b"---", blob.replace(b"\r\n", b"\n"))  # "--- " closers
    return _front_matter(blob)


def _posts(r: Repo, folder: str, skip: frozenset[str] = frozenset(), parse=_fm, suffix: str = ".md"):
    """(path, front matter, body) of each Markdown post under ``folder`` whose name is not in
    ``skip`` and whose front matter parses, in path order."""
    paths = [p for p in r.ls(folder) if p.endswith(suffix)]
    blobs = r.read_many(paths)
    for p in paths:
        if Path(p).stem in skip:
            continue
        parsed = parse(blobs.get(p, b""))
        if parsed is not None:
            yield p, parsed[0], parsed[1]


def load_privacyguides(r) -> list[dict]:
    out = []
    for path, front, body in _posts(r, "blog/posts/", PRIVACYGUIDES_SKIP):
        stem = Path(path).stem
        m = re.search(r"^#\s+(.+)$", body, re.M)
        ft = re.search(r"^title:\s*(.*?)\s*$", front, re.M)
        title = m.group(1).strip() if m else stem
        if m:
            body = body[: m.start()] + body[m.end() :]
        elif ft and ft.group(1):
            title = ft.group(1).strip().strip("\"'")
        text = _strip_md(body)
        if len(text.strip()) < 200:
            continue
        d = re.search(r"created:\s*(\d{4})-(\d{2})-(\d{2})", front)
        url = f"https://www.privacyguides.org/articles/{d.group(1)}/{d.group(2)}/{d.group(3)}/{stem}/" if d else None
        cat = re.search(r"^categories:\s*\n\s*-\s*(.+)$", front, re.M)
        out.append(
            item(
                f"privacyguides:{stem}",
                "en",
                title,
                text,
                "Privacy Guides articles",
                url,
                "tech",
                "blog: " + cat.group(1).strip().lower() if cat else "blog",
            )
        )
    return out


def load_cryptpad(r) -> list[dict]:
    out = []
    for path, front, body in _posts(r, "posts/", CRYPTPAD_SKIP):
        stem = Path(path).stem
        lang = re.search(r"^lang:\s*(\w+)", front, re.M)
        lang = lang.group(1).lower() if lang else "en"
        if lang not in {"en", "de", "fr", "nl", "es", "it", "pt", "zh"}:
            continue
        t = re.search(r"^title:\s*(.*?)\s*$", front, re.M)
        title = t.group(1).strip() if t else stem
        if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
            title = title[1:-1]
        text = _strip_md(body)
        if len(text.strip()) < 200:
            continue
        d = re.search(r"^date:\s*(\d{4})-(\d{2})-(\d{2})", front, re.M)
        url = f"https://blog.cryptpad.org/{d.group(1)}/{d.group(2)}/{d.group(3)}/{stem}/" if d else None
        out.append(item(f"cryptpad:{stem}", lang, title, text, "CryptPad blog", url, "tech", "blog"))
    return out


# ---------------------------------------------------------------- round 5

# LawRefBook/Laws (zhlaw): Chinese laws, administrative regulations, departmental rules, judicial
# interpretations, local regulations (DLC/) and court case summaries (案例/) as Markdown ("# 标题",
# passage line, "<!-- INFO END -->", body). Selection rule: every document (any folder except scripts/
# and _index.md pages) whose TITLE has a topic cue (ZHLAW_TITLE_CUE: 数据, 个人信息, 网络, 互联网, 信息化,
# 算法, 人工智能, 人脸识别, 电子商务, 电信, 计算机信息, 国际联网, 密码, 间谍, 情报, 国家安全, 反恐怖,
# 关键信息基础设施, 视频图像, 国家秘密, 公安机关办理) or whose TEXT has a data-export cue (ZHLAW_TEXT_CUE:
# 数据出境, 个人信息出境, 向境外提供, 境内存储, 存储在境内, 跨境传输, 跨境流动), plus a seeded sample
# (random.Random("20240610:zhlaw")) of 60 other documents as near-miss negatives (finance, tax, trade,
# food, transport ...). Cues are matched on the whole text; cap() cuts long texts at a line break.
# Documents under 200 characters of text are skipped; byte-identical duplicate texts (a law filed
# twice) keep the first path.
ZHLAW_TITLE_CUE = re.compile(
    r"(数据|个人信息|网络|互联网|信息化|算法|人工智能|人脸识别|电子商务|电信|计算机信息|国际联网|密码|间谍|情报"
    r"|国家安全|反恐怖|关键信息基础设施|视频图像|国家秘密|公安机关办理)"
)
ZHLAW_TEXT_CUE = re.compile(r"(数据出境|个人信息出境|向境外提供|境内存储|存储在境内|跨境传输|跨境流动)")


def load_zhlaw(r) -> list[dict]:
    paths = [
        p
        for p in r.ls(".")
        if p.endswith(".md") and not p.endswith("_index.md") and "/" in p and not p.startswith(("scripts/", ".github/"))
    ]
    blobs = r.read_many(paths)
    cued, rest, seen = [], [], set()
    for p in paths:
        raw = blobs[p].decode("utf-8", "replace")
        raw = re.sub(r"^---\n.*?\n---\n?", "", raw, flags=re.S)  # optional front matter
        m = re.search(r"^#\s+(.+?)\s*$", raw, re.M)
        stem = p.rsplit("/", 1)[-1][:-3]
        title = m.group(1) if m else re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", stem)
        body = raw[m.end() :] if m else raw
        body = body.replace("<!-- INFO END -->", "")
        body = clean(_markdown_to_text(body))
        if len(body) < 200:
            continue
        h = hashlib.sha1(body.encode(), usedforsecurity=False).hexdigest()
        if h in seen:
            continue
        seen.add(h)
        genre = "court" if p.startswith(("司法解释/", "案例/")) else "regulator"
        cue = bool(ZHLAW_TITLE_CUE.search(title) or ZHLAW_TITLE_CUE.search(stem) or ZHLAW_TEXT_CUE.search(body))
        d = item(
            f"zhlaw:{p[:-3]}",
            "zh",
            title,
            body,
            "LawRefBook Chinese laws and regulations",
            f"https://github.com/LawRefBook/Laws/blob/2f4c5c23716267af9dbebbbbd6cbbf732b101981/{p}",
            genre,
            "cue" if cue else "sample",
        )
        (cued if cue else rest).append(d)
    return _cued_and_sample(cued, rest, "zhlaw")


# zer0rg/type-of-legal: the blog of Type of Legal (a Spanish tech and digital law firm, typeoflegal.com),
# Astro site, posts in src/content/posts/*.md (Spanish). No licence stated.
# Selection rule (117 posts, fewer than 250, so no sampling): every post with >= 200 chars of prose, except
# the duplicate "...-copy" post, the firm's own press note (type-of-legal-en-la-revista-economistjurist) and two
# one-line stubs that only link to an article published elsewhere (smart contract, image banks).


TYPEOFLEGAL_SKIP = {
    "una-regulacion-para-las-criptomonedas-copy",
    "type-of-legal-en-la-revista-economistjurist",
    "como-iniciar-un-desarrollo-smart-contract",
    "el-uso-de-los-bancos-de-imagenes-para-campanas-publicitarias",
}


def _bom_crlf_front_matter(blob: bytes) -> tuple[str, str] | None:
    blob = blob.replace(b"\r\n", b"\n")
    return _front_matter(blob[3:] if blob.startswith(b"\xef\xbb\xbf") else blob)


def load_typeoflegal(r) -> list[dict]:
    out = []
    for path, front, body in _posts(r, "src/content/posts/", TYPEOFLEGAL_SKIP, _bom_crlf_front_matter):
        slug = Path(path).stem
        t = re.search(r'^title:\s*"?(.*?)"?\s*$', front, re.M)
        text = _markdown_to_text(body)
        if len(text.strip()) < 200:
            continue
        out.append(
            item(
                f"typeoflegal:{slug}",
                "es",
                t.group(1) if t else slug,
                text,
                "Type of Legal blog (Spanish law firm)",
                f"https://typeoflegal.com/{slug}/",
                "business",
                "blog",
            )
        )
    return out


LOADERS = {
    "gnad10k": load_gnad10k,
    "fakebr": load_fakebr,
    "bbc": load_bbc,
    "fakes_es": load_fakes_es,
    "thucnews": load_thucnews,
    "dice": load_dice,
    "gdprhub": load_gdprhub,
    "articlemd": load_articlemd,
    "simpleanalytics": load_simpleanalytics,
    "safespring": load_safespring,
    "scs": load_scs,
    "plausible": load_plausible,
    "isotopp": load_isotopp,
    "alpernl": load_alpernl,
    "privacyguides": load_privacyguides,
    "cryptpad": load_cryptpad,
    "zhlaw": load_zhlaw,
    "typeoflegal": load_typeoflegal,
}


def take(key: str, items: list[dict]) -> list[dict]:
    n = CAPS[key]
    if key == "articlemd":
        return take_articlemd(items)
    if key == "gdprhub" and n is not None:
        first = [d for d in items if d.get("source_label") == "transfer"]
        rest = [d for d in items if d.get("source_label") != "transfer"]
        got = sample(first, n, key + ":t") + sample(rest, max(0, n - min(n, len(first))), key)
        ids = {d["id"] for d in got}
        return got + [dict(d, round=2) for d in items if d["id"] not in ids and _gdprhub_round2(d)]
    return sample(items, n, key)


def norm_key(d: dict) -> str:
    t = re.sub(r"\W+", " ", (d["title"] + " " + d["text"]).lower()).strip()
    return hashlib.sha1(t.encode("utf-8"), usedforsecurity=False).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror-root", default="/work/.mirror", type=Path)
    ap.add_argument("--out", default=Path(__file__).with_name("articles.jsonl"), type=Path)
    ap.add_argument("--only", nargs="*", choices=sorted([*REPOS, "gdprxiv"]), help="build only these datasets")
    args = ap.parse_args(argv)

    all_items: list[dict] = []
    for key in sorted(args.only or REPOS):
        if key == "gdprxiv":
            continue
        dirname, commit = REPOS[key]
        repo = Repo(args.mirror_root, dirname, commit)
        got = LOADERS[key](repo)
        kept = take(key, got)
        print(f"{key:10s} read {len(got):5d} kept {len(kept):5d}", file=sys.stderr)
        all_items.extend(kept)
    if not args.only or "gdprxiv" in args.only:
        got = load_gdprxiv()
        print(f"{'gdprxiv':10s} read {len(got):5d} kept {len(got):5d}", file=sys.stderr)
        all_items.extend(got)

    # Earlier rounds win a duplicate, so that adding items never drops or renames one already labelled.
    seen, uniq = set(), []
    for d in sorted(all_items, key=lambda d: (d.pop("round", 1), d["id"])):
        k = norm_key(d)
        if k in seen or not d["text"]:
            continue
        seen.add(k)
        uniq.append(d)
    uniq.sort(key=lambda d: d["id"])

    with open(args.out, "w", encoding="utf-8") as f:
        for d in uniq:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    # the committable manifest: ids + labels only, no text
    with open(args.out.with_name("ids.tsv"), "w", encoding="utf-8") as f:
        f.write("id\tlang\tgenre\tsource_dataset\tsource_label\n")
        for d in uniq:
            f.write(
                "\t".join([d["id"], d["lang"], d["genre"], d["source_dataset"], d.get("source_label") or ""]) + "\n"
            )
    by_lang = Counter(d["lang"] for d in uniq)
    by_genre = Counter(d["genre"] for d in uniq)
    print(f"wrote {len(uniq)} items to {args.out}", file=sys.stderr)
    print("lang:  " + ", ".join(f"{k}={v}" for k, v in sorted(by_lang.items())), file=sys.stderr)
    print("genre: " + ", ".join(f"{k}={v}" for k, v in sorted(by_genre.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
