"""Unit tests of the benchmark loaders and scorers in bench/, on tiny fake data and analyses."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import cameo_quad  # noqa: E402
import case2021  # noqa: E402
import common  # noqa: E402
import park_sign  # noqa: E402
import plover_gsr  # noqa: E402
import polnear  # noqa: E402
import run as bench_run  # noqa: E402
import shared_corpus  # noqa: E402
import speed  # noqa: E402


def event(doc: str, type_: str, quad: str, source: str | None = None,
          target: str | None = None, **kw: object) -> dict:
    return {"id": f"ev-{doc}-{type_}", "document": doc, "start": 0, "end": 10, "type": type_,
            "quad": quad, "source": source, "target": target, "confidence": 1.0, **kw}


# --------------------------------------------------------------------------- common


def test_norm_and_contains_words() -> None:
    assert common.norm("The U.S.’s Army") == "us army"
    assert common.contains_words("Lebanon's new President Elias Hrawi", "Elias Hrawi")
    assert not common.contains_words("Iranian", "Iran")


def test_top_event_prefers_confident_and_asserted() -> None:
    evs = [event("d", "AGREE", "verbal_cooperation", confidence=0.5),
           event("d", "ASSAULT", "material_conflict", confidence=0.9, negated=True),
           event("d", "ACCUSE", "verbal_conflict", confidence=0.7)]
    assert common.top_event(evs)["type"] == "ACCUSE"
    assert common.top_event([]) is None


def test_top_event_is_the_main_event_where_events_carry_salience() -> None:
    evs = [event("d", "ASSAULT", "material_conflict", confidence=0.9, salience=0.2),
           event("d", "THREATEN", "verbal_conflict", confidence=0.6, salience=0.8)]
    assert common.top_event(evs)["type"] == "THREATEN"
    # equal salience (or none): the most confident
    evs[1]["salience"] = 0.2
    assert common.top_event(evs)["type"] == "ASSAULT"


def test_prf() -> None:
    r = common.prf(1, 2, 1, 4)
    assert r["recall"] == 0.5 and r["precision"] == 0.25
    assert r["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert common.prf(0, 0, 0, 0)["f1"] == 0.0


# --------------------------------------------------------------------------- plover_gsr


def test_load_plover_skips_header_and_normalises_roles(tmp_path: Path) -> None:
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps([
        {"id": "H", "event": "DOCUMENT"},
        {"id": "R1", "event": "AGREE", "text": "A and B agreed.",
         "source": [{"actorText": "A", "code": "USA"}], "target": ""},
    ]))
    recs = plover_gsr.load_plover(path)
    assert [r["id"] for r in recs] == ["R1"]
    assert recs[0]["target"] == [] and recs[0]["source"][0]["code"] == "USA"


def test_plover_type_crosswalk() -> None:
    assert plover_gsr.type_ok({"type": "REQUEST"}, "DEMAND")
    assert plover_gsr.type_ok({"type": "ACCUSE"}, "DISAPPROVE")
    assert plover_gsr.type_ok({"type": "ASSAULT"}, "FIGHT")
    assert plover_gsr.type_ok({"type": "ACCUSE", "mode": "investigate"}, "INVESTIGATE")
    assert not plover_gsr.type_ok({"type": "ACCUSE"}, "INVESTIGATE")
    assert not plover_gsr.type_ok(None, "AGREE")


def test_score_plover() -> None:
    records = [
        {"id": "s1", "text": "", "event": "DISAPPROVE", "mode": None,
         "source": [{"actorText": "Lebanon's new President Elias Hrawi", "code": "LBN"}],
         "target": [{"actorText": "Syria", "code": "SYR"}]},
        {"id": "s2", "text": "", "event": "AGREE", "mode": None,
         "source": [{"actorText": "U.N.", "code": "IGO"}], "target": []},
    ]
    analysis = {
        "actors": [{"id": "hrawi", "name": "Elias Hrawi", "aliases": [], "country": None},
                   {"id": "syria", "name": "Syrian government", "aliases": [],
                    "country": "SY"}],
        "mentions": [{"document": "s1", "start": 0, "end": 5, "text": "Hrawi",
                      "actor": "hrawi", "rule": "surname"}],
        "events": [event("s1", "ACCUSE", "verbal_conflict", "hrawi", "syria")],
    }
    f = plover_gsr.score_plover(records, analysis)["figures"]
    assert f["sentences"] == 2 and f["event_recall"] == 0.5
    assert f["type_accuracy"] == 0.5 and f["type_accuracy_detected"] == 1.0
    assert f["source_accuracy"] == 0.5  # s1 right by text, s2 missed
    assert f["source_text_accuracy"] == 0.5
    assert f["target_accuracy"] == 1.0 and f["target_country_accuracy"] == 1.0
    assert f["actor_accuracy"] == pytest.approx(2 / 3)


# --------------------------------------------------------------------------- polnear


ANN = """T1\tSource 0 3\tBob
T2\tCue 4 8\tsaid
T3\tContent 9 25\tthe war is over.
T4\tAttribution 4 8\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tCue 27 34\tclaimed
T6\tContent 35 40;45 50\txxxxx
E2\tAttribution-no-source:T5 Content:T6 Cue:T5
T7\tDiscard 0 3\tBob
"""


def test_parse_ann() -> None:
    golds = polnear.parse_ann(ANN)
    assert len(golds) == 2
    assert golds[0].content == [(9, 25)] and golds[0].cue == [(4, 8)]
    assert golds[0].source == [(0, 3)]
    assert golds[1].content == [(35, 40), (45, 50)] and golds[1].source == []


def test_load_polnear_picks_first_annotator(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "art.txt").write_text("Bob said the war is over.")
    (tmp_path / "attributions" / "art_ef2d.ann").write_text("")
    (tmp_path / "attributions" / "art_4b22.ann").write_text(ANN)
    arts = polnear.load_polnear(tmp_path)
    assert [a.name for a in arts] == ["art"] and len(arts[0].attributions) == 2


def test_polnear_matching_modes() -> None:
    text = "Bob said the war is over. Someone else spoke."
    gold = polnear.parse_ann(ANN)[:1]
    art = polnear.Article("a", text, gold)
    exact = {"document": "a", "start": 0, "end": 25, "cue": "said", "speaker_text": "Bob",
             "content": "the war is over", "content_start": 9, "content_end": 24}
    partial = {"document": "a", "start": 0, "end": 25, "cue": "stated", "speaker_text": None,
               "content": "war", "content_start": 13, "content_end": 16}
    stray = {"document": "a", "start": 26, "end": 45, "cue": "spoke", "speaker_text": "Someone",
             "content": "else", "content_start": 35, "content_end": 39}
    analysis = {"documents": [{"id": "a", "text": text}], "claims": [exact, partial, stray]}
    f = polnear.score_polnear([art], analysis)
    assert f["overlap_recall"] == 1.0 and f["overlap_precision"] == pytest.approx(1 / 3)
    assert f["exact_recall"] == 1.0
    assert f["content_precision"] == pytest.approx(2 / 3)  # partial has no cue or source


def test_polnear_univocal_figures_leave_nested_claims_out() -> None:
    # PolNeAR gives each token one attribution: the claim reported inside Bob's content
    # ("Ann told him ...") has no gold counterpart; the headline counts it, the univocal
    # figures leave it out
    text = "Bob said Ann told him the war is over."
    gold = [polnear.GoldAttribution(content=[(9, 37)], cue=[(4, 8)], source=[(0, 3)])]
    outer = {"document": "a", "start": 0, "end": 38, "cue": "said", "speaker_text": "Bob",
             "content": "Ann told him the war is over", "content_start": 9, "content_end": 37}
    inner = {"document": "a", "start": 0, "end": 38, "cue": "told", "speaker_text": "Ann",
             "content": "the war is over", "content_start": 22, "content_end": 37}
    analysis = {"documents": [{"id": "a", "text": text}], "claims": [outer, inner]}
    f = polnear.score_polnear([polnear.Article("a", text, gold)], analysis)
    assert f["claims"] == 2 and f["overlap_precision"] == pytest.approx(1 / 2)
    assert f["univocal_overlap_precision"] == 1.0 and f["univocal_overlap_recall"] == 1.0
    # the inner claim alone is kept: nothing it lies in is ours
    alone = {"documents": [{"id": "a", "text": text}], "claims": [inner]}
    assert polnear.univocal(polnear.map_claims(alone["claims"], text, text)) != []


def test_polnear_maps_cleaned_offsets_back() -> None:
    original = "Title\n\nBob said the war is over."
    cleaned = "Bob said the war is over."
    ours = polnear.map_claims([{"start": 0, "end": 25, "cue": "said", "speaker_text": "Bob",
                                "content": "the war is over", "content_start": 9,
                                "content_end": 24}], original, cleaned)[0]
    assert original[ours["content"][0]:ours["content"][1]] == "the war is over"
    assert original[ours["cue"][0]:ours["cue"][1]] == "said"


def test_trim_and_locate() -> None:
    text = ' "It is over," he said.'
    assert text[slice(*polnear.trim(text, 0, 14))] == "It is over"
    assert polnear.locate("He said he said", "said", 0, 15, avoid=(3, 7)) == (11, 15)
    assert polnear.locate("unsaid", "said", 0, 6) is None


# --------------------------------------------------------------------------- cameo_quad


def test_load_cameo_and_penta(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_text("A bomb killed five.\t4\nThey met.\t1\nbad line\n")
    rows = cameo_quad.load_cameo(path)
    assert [r["label"] for r in rows] == [4, 1]
    assert cameo_quad.penta(None) == 0
    assert cameo_quad.penta({"cameo": "020", "quad": "verbal_cooperation"}) == 0
    assert cameo_quad.penta({"cameo": "042", "quad": "verbal_cooperation"}) == 1
    assert cameo_quad.penta({"cameo": None, "quad": "material_conflict"}) == 4


def test_score_cameo() -> None:
    rows = [{"id": "a", "label": 4}, {"id": "b", "label": 0}, {"id": "c", "label": 3}]
    analysis = {"events": [event("a", "ASSAULT", "material_conflict"),
                           event("c", "COOPERATE", "material_cooperation")]}
    scored = cameo_quad.score_cameo(rows, analysis)
    f = scored["figures"]
    assert f["accuracy"] == pytest.approx(2 / 3)
    assert scored["confusion"][3][2] == 1
    assert f["polarity_accuracy"] == 0.5
    assert cameo_quad.macro_f1([[1, 0], [0, 1]]) == 1.0


# --------------------------------------------------------------------------- park_sign


def test_strip_entities() -> None:
    text, s1, s2 = park_sign.strip_entities("[Trump] blamed [China] [sic].", "Trump", "China")
    assert text == "Trump blamed China [sic]."
    assert text[s1[0]:s1[1]] == "Trump" and text[s2[0]:s2[1]] == "China"
    text, s1, s2 = park_sign.strip_entities("[Kratz’]s claims about [Avery].", "Kratz’", "Avery")
    assert text.startswith("Kratz’s") and text[s2[0]:s2[1]] == "Avery"


def test_predict_directions() -> None:
    a, b = {"trump"}, {"china"}
    neg_fwd = [event("d", "ACCUSE", "verbal_conflict", "trump", "china")]
    assert park_sign.predict(a, b, neg_fwd, [], []) == (3, True)
    pos_back = [event("d", "PRAISE", "verbal_cooperation", "china", "trump")]
    assert park_sign.predict(a, b, pos_back, [], []) == (2, True)
    claim = [{"speaker": "china", "about": ["trump"], "cue_type": "accuse"}]
    assert park_sign.predict(a, b, [], claim, []) == (4, True)
    rel = [{"a": "china", "b": "trump", "score": 0.4, "sign": 1}]
    assert park_sign.predict(a, b, [], [], rel) == (1, True)
    assert park_sign.predict(a, b, [], [], []) == (0, False)


def test_score_park() -> None:
    rows = [{"id": "p1", "text": "Trump blamed China.", "e1": "Trump", "e2": "China",
             "e1_span": (0, 5), "e2_span": (13, 18), "label": 3},
            {"id": "p2", "text": "Trump met Xi.", "e1": "Trump", "e2": "Xi",
             "e1_span": (0, 5), "e2_span": (10, 12), "label": 0}]
    analysis = {
        "documents": [{"id": "p1", "text": rows[0]["text"]}, {"id": "p2", "text": rows[1]["text"]}],
        "actors": [{"id": "trump", "name": "Donald Trump"}, {"id": "china", "name": "China"}],
        "mentions": [{"document": "p1", "start": 0, "end": 5, "actor": "trump"},
                     {"document": "p1", "start": 13, "end": 18, "actor": "china"}],
        "events": [event("p1", "ACCUSE", "verbal_conflict", "trump", "china")],
        "claims": [], "relations": [],
    }
    f = park_sign.score_park(rows, analysis)["figures"]
    assert f["directed_accuracy"] == 1.0 and f["undirected_accuracy"] == 1.0
    assert f["coverage"] == 0.5 and f["coverage_non_neutral"] == 1.0
    # With the stance stage run, its verdict decides: no stance on p1 is neutral there,
    # whatever the accusation event says; a stance against China mends it.
    f = park_sign.score_park(rows, analysis, by_stance=True)["figures"]
    assert f["directed_accuracy"] == 0.5 and f["ties_directed_accuracy"] == 1.0
    analysis["stances"] = [{"document": "p1", "source": "trump", "target": "china", "sign": -1}]
    scored = park_sign.score_park(rows, analysis, by_stance=True)
    assert scored["figures"]["directed_accuracy"] == 1.0
    # p2's "Xi" found no actor: the verdict there is neutral whatever the model says.
    assert scored["verdicts"] == {"p1": (3, True), "p2": (0, False)}
    split = park_sign.resolution_split(rows, scored["verdicts"], {"p1": 0, "p2": 1})
    assert split["resolved_sentences"] == 1 and split["unresolved_sentences"] == 1
    assert split["resolved_verdict_accuracy"] == 1.0 and split["resolved_model_accuracy"] == 0.0
    assert split["unresolved_verdict_accuracy"] == 1.0
    assert split["unresolved_model_accuracy"] == 0.0


# --------------------------------------------------------------------------- case2021


def test_load_and_score_case(tmp_path: Path) -> None:
    path = tmp_path / "case.tsv"
    path.write_text("id\tEventSnippet\tSubType\n1\tTroops clashed.\tARMED_CLASH\n"
                    "2\tA quake hit.\tNATURAL_DISASTER\n3\tPolice arrested him.\tARREST\n")
    rows = case2021.load_case(path)
    assert [r["id"] for r in rows] == ["case-1", "case-2", "case-3"]
    analysis = {"events": [event("case-1", "ASSAULT", "material_conflict"),
                           event("case-2", "ASSAULT", "material_conflict"),
                           event("case-3", "PROTEST", "material_conflict")]}
    scored = case2021.score_case(rows, analysis)
    f = scored["figures"]
    assert f["mapped"] == 2 and f["unmapped"] == 1
    assert f["accuracy"] == 0.5 and f["disaster_false_event_rate"] == 1.0
    assert scored["per_subtype"]["ARREST"]["accuracy"] == 0.0


# --------------------------------------------------------------------------- shared / speed


def test_flatten_scores() -> None:
    flat = shared_corpus.flatten_scores({"events": {"f1": 0.5}, "titles": "3/3", "misses": []})
    assert flat == {"events_f1": 0.5, "titles": "3/3"}


def test_synthetic_corpus_varies_copies() -> None:
    recs = speed.synthetic_corpus(["one two", "three"], 5)
    assert len(recs) == 5 and len({r["text"] for r in recs}) == 5
    assert recs[2]["text"].startswith("one two") and speed.word_count(recs[:1]) == 4


def test_speed_summary() -> None:
    runs = {"spacy_p1": {"seconds": 2.0, "words_per_s": 50.0, "articles_per_s": 5.0,
                         "rss_self_mib": 100.0, "rss_children_mib": 0.0},
            "pipeline_p1": {"seconds": 3.0, "words_per_s": 33.3, "articles_per_s": 3.3,
                            "rss_self_mib": 150.0, "rss_children_mib": 0.0,
                            "articles": 10, "words": 100}}
    scaling = [{"scale": 1, "articles": 10, "seconds": 1.0, "rss_self_mib": 1.0,
                "rss_children_mib": 0.0},
               {"scale": 4, "articles": 40, "seconds": 4.4, "rss_self_mib": 1.0,
                "rss_children_mib": 0.0}]
    stages = {"parse_s": 2.0, "stages_s": {"actors": 0.5, "places": 0.1, "dates": 0.1}}
    f = speed.summarise(runs, scaling, stages)
    assert f["pipeline_over_parser_time_p1"] == 1.5
    assert f["scale_4x_time_per_article_rel"] == 1.1
    assert f["resolution_over_parse"] == 0.35


# --------------------------------------------------------------------------- run.py


def test_update_markdown_replaces_only_between_markers() -> None:
    md = ("intro\n<!-- bench:a -->\nold\n<!-- /bench:a -->\nkeep\n"
          "<!-- bench:b -->\n<!-- /bench:b -->")
    out = bench_run.update_markdown(md, {"a": "NEW", "b": "B"})
    assert "old" not in out and "NEW" in out and "keep" in out and out.startswith("intro")
    assert "<!-- bench:b -->\nB\n<!-- /bench:b -->" in out


def test_render_blocks_from_a_results_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_run, "RESULTS_DIR", tmp_path)
    assert "Not yet run" in bench_run.render_block("cameo_quad")
    result = {"figures": {"sentences": 1, "accuracy": 1.0, "macro_f1": 0.2,
                          "majority_baseline": 1.0, "event_rate": 1.0,
                          "accuracy_with_event": 1.0, "quad_recall_events": 1.0,
                          "polarity_accuracy": None},
              "details": {"confusion": [[0] * 5 for _ in range(5)]}, "command": "x",
              "commit": "abc", "machine": {"cores": 2, "ram_gib": 8, "python": "3.11"},
              "date": "today", "duration_s": 1}
    (tmp_path / "cameo_quad.json").write_text(json.dumps(result))
    block = bench_run.render_block("cameo_quad")
    assert "100.0%" in block and "`x`" in block


def test_summary_says_not_yet_run_without_results(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_run, "RESULTS_DIR", tmp_path)
    summary = bench_run.render_summary()
    assert summary.count("not yet run") == len(bench_run.HEADLINES)
