"""Scenario `text`: Vietnamese text functions against str.lower on the same names."""

from __future__ import annotations

import statistics

from bench.registry import scenario, timed


@scenario("text")
def text_scenario() -> dict:
    from ocop.core.demo_words import PRODUCT_STEMS
    from ocop.core.text import vn_fold, vn_sort_key

    names = [stem for stems, *_ in PRODUCT_STEMS.values() for stem in stems] * 200
    baseline = statistics.median(timed(lambda: [n.lower() for n in names], 7))
    fold = statistics.median(timed(lambda: [vn_fold(n) for n in names], 7))
    sort = statistics.median(timed(lambda: [vn_sort_key(n) for n in names], 7))
    return {
        "names": len(names),
        "baseline_lower_s": baseline,
        "vn_fold_s": fold,
        "vn_sort_key_s": sort,
        "vn_fold_vs_lower": fold / baseline,
        "vn_sort_key_vs_lower": sort / baseline,
    }
