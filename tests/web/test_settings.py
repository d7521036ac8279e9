"""Settings from the environment: production by default, refusing to start without a secret key
of its own and passing Django's deployment checks; development only when asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # A fresh process with the user's environment, not the test run's: the browser
    # tests set DJANGO_ALLOW_ASYNC_UNSAFE for their worker, which check --deploy reports. The
    # test run's development mode (GRASSROOTS_DEV=1, tests/plugin.py) carries over unless
    # ``env`` sets PRODUCTION.
    dropped = {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base |= {"DJANGO_SETTINGS_MODULE": "grassroots.web.settings"}
    return subprocess.run(
        [sys.executable, *args],
        env=base | env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {"GRASSROOTS_DEV": "0"}
PRODUCTION_KEY = "k" * 20 + "Zq9!x@Lm#4&Tr7$Vw2^Np8*Yc5(Hb3)Jd6"
SHOW = "import django; django.setup(); from django.conf import settings; print(settings.{})"


def test_settings_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = _run(
        ["-c", "import django; django.setup()"],
        PRODUCTION | {"DEBUG": "false", "GRASSROOTS_DATA_DIR": str(tmp_path)},
        tmp_path,
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "GRASSROOTS_DEV=1" in result.stderr


def test_settings_untouched_environment_refuses_to_start(tmp_path: Path) -> None:
    """No variables at all is production, not an open debug site with a published key."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"GRASSROOTS_DEV", "DEBUG", "SECRET_KEY"}
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env | {"DJANGO_SETTINGS_MODULE": "grassroots.web.settings"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "var").exists()


def test_settings_development_key_refused_outside_development(tmp_path: Path) -> None:
    from grassroots.web.settings import DEV_SECRET_KEY

    result = _run(
        ["-c", "import django; django.setup()"],
        PRODUCTION
        | {"SECRET_KEY": DEV_SECRET_KEY, "DEBUG": "true", "GRASSROOTS_DATA_DIR": str(tmp_path)},
        tmp_path,
    )

    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_settings_debug_is_off_unless_development(tmp_path: Path) -> None:
    env = {"GRASSROOTS_DATA_DIR": str(tmp_path)}

    production = _run(
        ["-c", SHOW.format("DEBUG")], env | PRODUCTION | {"SECRET_KEY": PRODUCTION_KEY}, tmp_path
    )
    development = _run(["-c", SHOW.format("DEBUG")], env | {"GRASSROOTS_DEV": "1"}, tmp_path)

    assert production.stdout.strip() == "False", production.stderr
    assert development.stdout.strip() == "True", development.stderr


def test_settings_development_uses_the_development_key(tmp_path: Path) -> None:
    from grassroots.web.settings import DEV_SECRET_KEY

    result = _run(
        ["-c", SHOW.format("SECRET_KEY")],
        {"GRASSROOTS_DEV": "1", "GRASSROOTS_DATA_DIR": str(tmp_path)},
        tmp_path,
    )

    assert result.stdout.strip() == DEV_SECRET_KEY, result.stderr


def test_settings_production_passes_check_deploy(tmp_path: Path) -> None:
    env = PRODUCTION | {
        "SECRET_KEY": PRODUCTION_KEY,
        "ALLOWED_HOSTS": "alliance.example.org",
        "GRASSROOTS_DATA_DIR": str(tmp_path),
    }

    result = _run(["-m", "django", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_settings_default_database_is_sqlite_in_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = _run(
        ["-c", "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"],
        {"GRASSROOTS_DATA_DIR": str(data)},
        tmp_path,
    )

    assert result.stdout.strip() == str(data / "grassroots.sqlite3")
    assert data.is_dir()


def test_settings_default_data_dir_is_var_under_current_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GRASSROOTS_DATA_DIR"}
    result = subprocess.run(
        [sys.executable, "-c", "from grassroots.web import settings; print(settings.DATA_DIR)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == str(tmp_path.resolve() / "var")


def test_settings_cache_is_local_memory_unless_redis_url_is_set(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION'))"
    )
    env = {"GRASSROOTS_DATA_DIR": str(tmp_path)}

    default = _run(["-c", code], env, tmp_path)
    redis = _run(["-c", code], env | {"REDIS_URL": "redis://cache.internal:6379/0"}, tmp_path)

    assert default.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache"
    assert redis.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/0",
    ]
