"""The catalogue registry: order, selection by label, and a broken topic module as one error result."""
import importlib

import pytest

import derivations._registry as registry
from verifier import verify


def test_a_topic_that_fails_to_import_is_one_error_result(monkeypatch):
    real = importlib.import_module

    def flaky(name, *args, **kwargs):
        if name == "derivations.perceptron":
            raise ValueError("boom")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(registry.importlib, "import_module", flaky)
    fresh = registry.Catalog()
    assert "perceptron:import" in fresh
    r = verify(fresh["perceptron:import"])
    assert r.verdict == "error"
    assert "derivations.perceptron failed to import: ValueError: boom" in r.message


def test_select_by_label_returns_every_claim_of_it(catalog):
    ids = [c.id for c in catalog.select("1.17")]
    assert ids == ["1.17:mean", "1.17:variance"]
    assert [c.id for c in catalog.select("1.17:mean")] == ["1.17:mean"]
    assert catalog.select("no-such-label") == []


def test_catalogue_is_read_only_and_in_notes_order(catalog):
    with pytest.raises(TypeError):
        catalog["x"] = None  # type: ignore[index]
    ids = list(catalog)
    assert ids.index("1.3") < ids.index("1.17:variance") < ids.index("2.1")
