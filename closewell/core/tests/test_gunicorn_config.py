"""config/gunicorn.py: workers start with the writing-advice dictionaries and the Typst compiler loaded,
so no user's request pays for loading them; its settings are ones gunicorn knows."""

import runpy
import types
from pathlib import Path

import gunicorn.config
import pytest
from textstat.backend.utils import get_cmudict

from closewell.advice import engine
from closewell.documents import pdf
from config import gunicorn as conf

CONFIG = Path(conf.__file__)


def server(*, preload_app: bool) -> types.SimpleNamespace:
    return types.SimpleNamespace(cfg=types.SimpleNamespace(preload_app=preload_app))


def test_the_master_loads_the_advice_dictionaries_before_forking():
    engine.spell_checker.cache_clear()
    get_cmudict.cache_clear()

    conf.when_ready(server(preload_app=True))

    assert engine.spell_checker.cache_info().currsize == 1
    assert get_cmudict.cache_info().currsize == 1


def test_without_preload_the_master_loads_nothing():
    engine.spell_checker.cache_clear()

    conf.when_ready(server(preload_app=False))

    assert engine.spell_checker.cache_info().currsize == 0


def test_each_worker_makes_its_typst_compiler_and_has_the_dictionaries():
    pdf.compiler.cache_clear()
    engine.spell_checker.cache_clear()

    conf.post_worker_init(types.SimpleNamespace())

    assert pdf.compiler.cache_info().currsize == 1
    assert engine.spell_checker.cache_info().currsize == 1


def test_the_app_is_preloaded_and_logs_go_to_stdout():
    assert conf.preload_app is True
    assert conf.accesslog == "-"
    assert "%(q)s" not in conf.access_log_format  # no query string: it can hold a child's name
    assert conf.timeout > 0


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"GUNICORN_WORKERS": "3", "WEB_CONCURRENCY": "7"}, 3),
        ({"WEB_CONCURRENCY": "7"}, 7),
        ({}, None),
    ],
)
def test_workers_come_from_the_environment_else_the_cpus(monkeypatch, environ, expected):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    settings = runpy.run_path(str(CONFIG))

    assert settings["workers"] == (expected or 9)


def test_every_public_name_is_a_gunicorn_setting():
    # gunicorn silently ignores a name it does not know, so a misspelt setting would do nothing.
    known = set(gunicorn.config.Config().settings)
    public = {
        name
        for name, value in vars(conf).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public <= known, public - known
