"""Run configuration (issue #8): pylua.toml / --config / $PYLUA_CONFIG, environment
overrides, errors that name the file, line and key, --print-config with secrets
hidden, and the provider tables handed to the llm library."""
from __future__ import annotations

import os
import subprocess
import tomllib

import pytest

from oracle import PYLUA, REPO_ROOT
from pylua import cli
from pylua.config import (Config, ConfigError, ProviderConfig, RuntimeConfig, SecurityConfig,
                          config_of, format_config, key_lines, load_config, provider_config)
from pylua.llm.provider import make_provider

SAMPLE = """\
# a run configuration
[runtime]
script_timeout_ms = 5000
max_memory_mb = 256
enable_streaming = false

[providers]
default = "local"

[providers.local]
type = "openai"
model = "llama3"
base_url = "http://127.0.0.1:11434/v1"
max_tokens = 512

[providers.openai]
model = "gpt-4o-mini"

[security]
sandbox_mode = true
allowed_tools = ["search", "calculator"]
"""


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty working directory (no pylua.toml unless a test writes one)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def load_text(workdir, text: str, env: dict | None = None, name: str = "pylua.toml") -> Config:
    (workdir / name).write_text(text)
    return load_config(None if name == "pylua.toml" else name, env or {})


def error_of(workdir, text: str, env: dict | None = None) -> str:
    with pytest.raises(ConfigError) as e:
        load_text(workdir, text, env)
    return str(e.value)


# -- the file and where it is found --------------------------------------------------

def test_no_file_gives_the_defaults(workdir):
    config = load_config(None, {})
    assert config.path is None and config.sources == {}
    assert config.runtime == RuntimeConfig(script_timeout_ms=0, max_memory_mb=0, enable_streaming=True)
    assert config.security == SecurityConfig(sandbox_mode=False, allowed_tools=None)
    assert config.default_provider == "openai"
    assert list(config.providers) == ["openai", "anthropic", "mock"]


def test_every_key_of_the_file_is_read(workdir):
    config = load_text(workdir, SAMPLE)
    assert config.path == "pylua.toml"
    assert config.runtime == RuntimeConfig(script_timeout_ms=5000, max_memory_mb=256,
                                           enable_streaming=False)
    assert config.security == SecurityConfig(sandbox_mode=True,
                                             allowed_tools=["search", "calculator"])
    assert config.default_provider == "local"
    assert config.providers["local"] == ProviderConfig(
        type="openai", model="llama3", base_url="http://127.0.0.1:11434/v1", max_tokens=512)
    # a table named after a built-in provider adds to it
    assert config.providers["openai"] == ProviderConfig(
        type="openai", model="gpt-4o-mini", api_key_env="OPENAI_API_KEY")
    assert config.sources[("runtime", "max_memory_mb")] == "pylua.toml:4"
    assert config.sources[("providers", "local", "base_url")] == "pylua.toml:13"


def test_discovery_order_config_flag_then_variable_then_working_directory(workdir):
    (workdir / "pylua.toml").write_text("[runtime]\nmax_memory_mb = 1\n")
    (workdir / "env.toml").write_text("[runtime]\nmax_memory_mb = 2\n")
    (workdir / "flag.toml").write_text("[runtime]\nmax_memory_mb = 3\n")
    assert load_config(None, {}).runtime.max_memory_mb == 1
    assert load_config(None, {"PYLUA_CONFIG": "env.toml"}).runtime.max_memory_mb == 2
    flagged = load_config("flag.toml", {"PYLUA_CONFIG": "env.toml"})
    assert flagged.runtime.max_memory_mb == 3 and flagged.path == "flag.toml"
    assert load_config(None, {"PYLUA_CONFIG": ""}).path == "pylua.toml"   # empty: unset


def test_a_named_file_must_exist(workdir):
    for path, env in (("missing.toml", {}), (None, {"PYLUA_CONFIG": "missing.toml"})):
        with pytest.raises(ConfigError, match=r"^cannot read config file missing.toml: "
                                              r"No such file or directory$"):
            load_config(path, env)


def test_the_other_forms_of_tables_are_read_alike(workdir):
    config = load_text(workdir, 'runtime.max_memory_mb = 7\n'
                                'providers = { default = "x", x = { type = "mock", model = "m" } }\n'
                                '[security]\nallowed_tools = []\n')
    assert config.runtime.max_memory_mb == 7
    assert config.default_provider == "x" and config.providers["x"].model == "m"
    assert config.security.allowed_tools == []


# -- environment variables -----------------------------------------------------------

def test_environment_overrides_every_section(workdir):
    env = {"PYLUA_RUNTIME_SCRIPT_TIMEOUT_MS": "250", "PYLUA_RUNTIME_MAX_MEMORY_MB": "64",
           "PYLUA_RUNTIME_ENABLE_STREAMING": "yes", "PYLUA_SECURITY_SANDBOX_MODE": "0",
           "PYLUA_SECURITY_ALLOWED_TOOLS": " search , , add ", "PYLUA_PROVIDERS_DEFAULT": "mock",
           "PYLUA_PROVIDERS_LOCAL_MODEL": "qwen", "PYLUA_PROVIDERS_LOCAL_MAX_TOKENS": "9",
           "PYLUA_PURE": "1", "PYLUA_DEBUG": "1"}     # other PYLUA_ variables are not config
    config = load_text(workdir, SAMPLE, env)
    assert config.runtime == RuntimeConfig(script_timeout_ms=250, max_memory_mb=64,
                                           enable_streaming=True)
    assert config.security == SecurityConfig(sandbox_mode=False, allowed_tools=["search", "add"])
    assert config.default_provider == "mock"
    assert (config.providers["local"].model, config.providers["local"].max_tokens) == ("qwen", 9)
    assert config.providers["local"].base_url == "http://127.0.0.1:11434/v1"   # from the file
    assert config.sources[("runtime", "max_memory_mb")] == "$PYLUA_RUNTIME_MAX_MEMORY_MB"


@pytest.mark.parametrize("text, value", [("true", True), ("ON", True), ("1", True),
                                         ("False", False), ("no", False), ("off", False)])
def test_boolean_variables(workdir, text, value):
    assert load_config(None, {"PYLUA_SECURITY_SANDBOX_MODE": text}).security.sandbox_mode is value


def test_an_empty_tool_list_allows_no_tool(workdir):
    assert load_config(None, {"PYLUA_SECURITY_ALLOWED_TOOLS": ""}).security.allowed_tools == []


def test_variables_find_providers_by_their_spelling_and_can_make_new_ones(workdir):
    env = {"PYLUA_PROVIDERS_MY_LOCAL_API_KEY_ENV": "LOCAL_KEY",    # the longest key matches
           "PYLUA_PROVIDERS_GROQ_TYPE": "openai", "PYLUA_PROVIDERS_GROQ_BASE_URL": "http://g"}
    config = load_text(workdir, '[providers."my-local"]\ntype = "mock"\n', env)
    assert config.providers["my-local"] == ProviderConfig(type="mock", api_key_env="LOCAL_KEY")
    assert config.providers["groq"] == ProviderConfig(type="openai", base_url="http://g")


# -- errors --------------------------------------------------------------------------

def test_unknown_key(workdir):
    text = SAMPLE.replace("script_timeout_ms = 5000", "script_timeout = 5000")
    assert error_of(workdir, text) == (
        "pylua.toml:3: unknown key 'script_timeout' in [runtime] "
        "(known: script_timeout_ms, max_memory_mb, max_instructions, enable_streaming)")


def test_unknown_key_of_a_provider_is_found_in_its_own_dotted_table(workdir):
    # 'modell' could be anywhere: the line is the one inside [providers.openai]
    text = SAMPLE.replace('model = "gpt-4o-mini"', 'modell = "gpt-4o-mini"')
    assert error_of(workdir, text) == (
        "pylua.toml:17: unknown key 'modell' in [providers.openai] "
        "(known: type, model, base_url, api_key_env, api_key, max_tokens)")


def test_wrong_types(workdir):
    cases = [
        (SAMPLE.replace("max_memory_mb = 256", 'max_memory_mb = "256"'),
         "pylua.toml:4: 'max_memory_mb' in [runtime] must be an integer >= 0, not \"256\""),
        (SAMPLE.replace("max_memory_mb = 256", "max_memory_mb = -1"),
         "pylua.toml:4: 'max_memory_mb' in [runtime] must be an integer >= 0, not -1"),
        (SAMPLE.replace("enable_streaming = false", "enable_streaming = 1"),
         "pylua.toml:5: 'enable_streaming' in [runtime] must be a boolean (true or false), not 1"),
        (SAMPLE.replace("max_tokens = 512", "max_tokens = 0"),
         "pylua.toml:14: 'max_tokens' in [providers.local] must be an integer > 0, not 0"),
        (SAMPLE.replace('type = "openai"', 'type = "gemini"'),
         "pylua.toml:11: 'type' in [providers.local] must be \"openai\", \"anthropic\" or "
         "\"mock\", not \"gemini\""),
        (SAMPLE.replace('["search", "calculator"]', '["search", 3]'),
         "pylua.toml:21: 'allowed_tools' in [security] must be an array of strings, "
         "not [\"search\", 3]"),
        (SAMPLE.replace('default = "local"', "default = 1.5"),
         "pylua.toml:8: 'default' in [providers] must be a string, not 1.5"),
    ]
    for text, message in cases:
        assert error_of(workdir, text) == message


def test_wrong_types_in_inline_tables_and_dotted_keys(workdir):
    assert error_of(workdir, '\n\nproviders = { x = { type = "mock", max_tokens = "9" } }\n') == (
        "pylua.toml:3: 'max_tokens' in [providers.x] must be an integer > 0, not \"9\"")
    assert error_of(workdir, '[runtime]\n\n  enable_streaming = true\n[providers]\n'
                             'x.type = "mock"\nx.model = 5\n') == (
        "pylua.toml:6: 'model' in [providers.x] must be a string, not 5")


def test_keys_in_strings_and_comments_are_not_keys(workdir):
    text = ('# [runtime]\n# max_memory_mb = 1\n[providers.mock]\nmodel = """\n[runtime]\n'
            'max_memory_mb = 3\n"""\nbase_url = \'max_memory_mb = 4\'\n[runtime]\n'
            "enable_streaming = true  # max_memory_mb = 5\nmax_memory_mb = 'x'\n")
    assert error_of(workdir, text).startswith("pylua.toml:11: 'max_memory_mb' in [runtime]")


def test_quoted_names_of_tables(workdir):
    text = '[providers."a.b"]\ntype = "mock"\n\n[providers."c d"]\ntype = "mock"\nmodels = 1\n'
    assert error_of(workdir, text).startswith(
        "pylua.toml:6: unknown key 'models' in [providers.\"c d\"] (known: type,")


def test_unknown_sections_and_top_level_keys(workdir):
    assert error_of(workdir, '[runtime]\nmax_memory_mb = 1\n\n[logging]\nlevel = "debug"\n') == (
        "pylua.toml:4: unknown section [logging] (known sections: runtime, providers, security)")
    assert error_of(workdir, 'verbose = true\n') == (
        "pylua.toml:1: unknown key 'verbose' at top level "
        "(known sections: runtime, providers, security)")
    assert error_of(workdir, '\nruntime = 5\n') == "pylua.toml:2: 'runtime' must be a table ([runtime])"
    assert error_of(workdir, '[providers]\ndefault = "mock"\nlocal = "x"\n') == (
        "pylua.toml:3: unknown key 'local' in [providers] "
        "(known: default, and provider tables [providers.NAME])")


def test_syntax_errors_name_their_line(workdir):
    assert error_of(workdir, '[runtime]\nmax_memory_mb = 1\nenable_streaming = yes\n') == (
        "pylua.toml:3: invalid TOML: Invalid value (column 20)")
    assert error_of(workdir, '[runtime]\nmax_memory_mb = 1\nmax_memory_mb = 2\n').startswith(
        "pylua.toml:3: invalid TOML: ")
    assert error_of(workdir, '[runtime]\nx = "open\n') == (
        "pylua.toml:2: invalid TOML: Illegal character '\\n' (column 10)")
    assert error_of(workdir, '[runtime]\nx = [1,\n') == (
        "pylua.toml:2: invalid TOML: Invalid value at the end of the file")
    (workdir / "pylua.toml").write_bytes(b'[runtime]\n# caf\xe9\n')
    with pytest.raises(ConfigError, match=r"^pylua.toml:2: not UTF-8 text$"):
        load_config(None, {})


def test_providers_need_a_type_and_the_default_must_exist(workdir):
    assert error_of(workdir, '[providers]\n\n[providers.local]\nmodel = "m"\n') == (
        "pylua.toml:3: provider [providers.local] needs a 'type' (\"openai\", \"anthropic\" or \"mock\")")
    assert error_of(workdir, '[providers]\ndefault = "nowhere"\n') == (
        "pylua.toml:2: the default provider 'nowhere' is not one of openai, anthropic, mock")
    with pytest.raises(ConfigError) as e:
        load_config(None, {"PYLUA_PROVIDERS_LOCAL_MODEL": "m"})
    assert str(e.value) == ("environment variable PYLUA_PROVIDERS_LOCAL_MODEL: provider "
                            "[providers.local] needs a 'type' (\"openai\", \"anthropic\" or \"mock\")")


@pytest.mark.parametrize("env, message", [
    ({"PYLUA_RUNTIME_TIMEOUT": "5"},
     "environment variable PYLUA_RUNTIME_TIMEOUT: unknown key 'timeout' in [runtime] "
     "(known: script_timeout_ms, max_memory_mb, max_instructions, enable_streaming)"),
    ({"PYLUA_RUNTIME_MAX_MEMORY_MB": "lots"},
     "environment variable PYLUA_RUNTIME_MAX_MEMORY_MB: must be an integer >= 0, not 'lots'"),
    ({"PYLUA_RUNTIME_MAX_MEMORY_MB": "-5"},
     "environment variable PYLUA_RUNTIME_MAX_MEMORY_MB: 'max_memory_mb' in [runtime] must be "
     "an integer >= 0, not -5"),
    ({"PYLUA_SECURITY_SANDBOX_MODE": "maybe"},
     "environment variable PYLUA_SECURITY_SANDBOX_MODE: must be a boolean (true or false), "
     "not 'maybe'"),
    ({"PYLUA_PROVIDERS_OPENAI_TEMPERATURE": "1"},
     "environment variable PYLUA_PROVIDERS_OPENAI_TEMPERATURE: expected PYLUA_PROVIDERS_DEFAULT "
     "or PYLUA_PROVIDERS_<NAME>_<KEY> with KEY one of TYPE, MODEL, BASE_URL, API_KEY_ENV, "
     "API_KEY, MAX_TOKENS"),
    ({"PYLUA_PROVIDERS_DEFAULT": "nowhere"},
     "environment variable PYLUA_PROVIDERS_DEFAULT: the default provider 'nowhere' is not one of "
     "openai, anthropic, mock"),
])
def test_environment_errors_name_the_variable(workdir, env, message):
    with pytest.raises(ConfigError) as e:
        load_config(None, env)
    assert str(e.value) == message


# -- key_lines -------------------------------------------------------------------------

def test_key_lines_of_headers_dotted_keys_and_inline_tables():
    lines = key_lines('a = 1\n[b . "c.d"]\ne.f = { g = [1, { h = 2 }], i = 3 }\n'
                      "[[j]]\nk = '''x\ny'''\nl = 1\n")
    assert lines == {("a",): 1, ("b",): 2, ("b", "c.d"): 2, ("b", "c.d", "e"): 3,
                     ("b", "c.d", "e", "f"): 3, ("b", "c.d", "e", "f", "g"): 3,
                     ("b", "c.d", "e", "f", "i"): 3, ("j",): 4, ("j", "k"): 5, ("j", "l"): 7}


# -- --print-config ----------------------------------------------------------------------

def test_print_config_hides_keys_and_says_where_values_come_from(workdir):
    text = SAMPLE.replace('max_tokens = 512', 'max_tokens = 512\napi_key = "sk-in-the-file"')
    env = {"PYLUA_PROVIDERS_OPENAI_API_KEY": "sk-from-env", "OPENAI_API_KEY": "sk-real",
           "PYLUA_PROVIDERS_TOKENIZER_TYPE": "mock", "PYLUA_PROVIDERS_LOCAL_API_KEY_ENV": "LOCAL_KEY",
           "PYLUA_RUNTIME_MAX_MEMORY_MB": "64"}
    out = format_config(load_text(workdir, text, env), env)
    for secret in ("sk-in-the-file", "sk-from-env", "sk-real"):
        assert secret not in out
    assert 'api_key = "********"  # pylua.toml:15' in out
    assert 'api_key = "********"  # $PYLUA_PROVIDERS_OPENAI_API_KEY' in out
    assert 'type = "********"  # $PYLUA_PROVIDERS_TOKENIZER_TYPE' in out   # a name with TOKEN
    # the name of a variable is no secret: it is shown, with whether it is set
    assert ('api_key_env = "LOCAL_KEY"  # $PYLUA_PROVIDERS_LOCAL_API_KEY_ENV; LOCAL_KEY is not set'
            in out)
    assert 'api_key_env = "OPENAI_API_KEY"  # OPENAI_API_KEY is set' in out
    assert "max_memory_mb = 64  # $PYLUA_RUNTIME_MAX_MEMORY_MB" in out
    assert "script_timeout_ms = 5000  # pylua.toml:3" in out
    assert "# model: not set" in out


def test_print_config_is_a_configuration_file_itself(workdir):
    config = load_text(workdir, SAMPLE)
    again = load_text(workdir, format_config(config), name="again.toml")
    assert again.runtime == config.runtime and again.security == config.security
    assert again.providers == config.providers and again.default_provider == "local"


# -- providers for the llm library ---------------------------------------------------------

def test_provider_config_gives_the_tables_make_provider_takes(workdir):
    config = load_text(workdir, SAMPLE)
    assert provider_config(config) == {"type": "openai", "model": "llama3", "max_tokens": 512,
                                       "base_url": "http://127.0.0.1:11434/v1"}
    assert provider_config(config, "openai") == {"type": "openai", "model": "gpt-4o-mini",
                                                 "api_key_env": "OPENAI_API_KEY"}
    assert provider_config(config, "anthropic") == {"type": "anthropic",
                                                    "api_key_env": "ANTHROPIC_API_KEY"}
    assert provider_config(config, "mock") == {"type": "mock"}
    with pytest.raises(ConfigError, match=r"^unknown provider 'gemini' \(known: openai, "
                                          r"anthropic, mock, local\)$"):
        provider_config(config, "gemini")
    local = make_provider(provider_config(config))
    assert (local.name, local.model) == ("openai", "llama3")
    assert make_provider(provider_config(config, "mock")).name == "mock"


def test_config_of_a_state_without_one_is_the_default():
    class State:
        pass
    assert config_of(State()).default_provider == "openai"
    state = State()
    state.config = Config()
    state.config.default_provider = "mock"
    assert config_of(state) is state.config


# -- the pylua command -----------------------------------------------------------------

def pylua(workdir, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYLUA_")}
    environment.update(env or {}, PYTHONPATH=str(REPO_ROOT))
    return subprocess.run([*PYLUA, *args], cwd=workdir, capture_output=True, text=True,
                          env=environment, timeout=60)


def test_cli_print_config_reads_the_working_directory_and_hides_keys(workdir):
    (workdir / "pylua.toml").write_text(SAMPLE.replace("max_tokens = 512", 'api_key = "sk-1"'))
    r = pylua(workdir, "--print-config", env={"PYLUA_RUNTIME_MAX_MEMORY_MB": "32"})
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.startswith("# pylua configuration: pylua.toml")
    assert "max_memory_mb = 32  # $PYLUA_RUNTIME_MAX_MEMORY_MB" in r.stdout
    assert "sk-1" not in r.stdout and 'api_key = "********"' in r.stdout


def test_cli_config_flag_variable_and_minus_E(workdir):
    (workdir / "le.toml").write_text('[providers]\ndefault = "mock"\n')
    (workdir / "other.toml").write_text('[providers]\ndefault = "anthropic"\n')
    # the path after --config is not an option, even when it looks like "-e" to lua.c's rules
    r = pylua(workdir, "--config", "le.toml", "-e", "print('ran')", "--print-config")
    assert r.returncode == 0 and 'default = "mock"  # le.toml:2' in r.stdout
    r = pylua(workdir, "--config", "le.toml", "-e", "print('ran')")
    assert (r.returncode, r.stdout, r.stderr) == (0, "ran\n", "")
    r = pylua(workdir, "--print-config", env={"PYLUA_CONFIG": "other.toml"})
    assert 'default = "anthropic"  # other.toml:2' in r.stdout
    # -E ignores the environment: PYLUA_CONFIG and the overrides too
    r = pylua(workdir, "-E", "--print-config", env={"PYLUA_CONFIG": "other.toml",
                                                    "PYLUA_RUNTIME_TIMEOUT": "1"})
    assert r.returncode == 0 and "no file, defaults" in r.stdout


def test_cli_configuration_errors_stop_before_the_script(workdir):
    (workdir / "main.lua").write_text("print('ran')\n")
    (workdir / "pylua.toml").write_text("[runtime]\n\nscript_timeout = 10\n")
    r = pylua(workdir, "main.lua")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == ("pylua: pylua.toml:3: unknown key 'script_timeout' in [runtime] "
                        "(known: script_timeout_ms, max_memory_mb, max_instructions, enable_streaming)\n")
    r = pylua(workdir, "--config", "missing.toml", "main.lua")
    assert (r.returncode, r.stderr) == (
        1, "pylua: cannot read config file missing.toml: No such file or directory\n")
    r = pylua(workdir, "--config")
    assert r.returncode == 1 and r.stderr.startswith("pylua: '--config' needs argument\nusage:")
    r = pylua(workdir, "-E", "main.lua", env={"PYLUA_RUNTIME_TIMEOUT": "1"})
    assert r.returncode == 1                               # the file is still read with -E
    (workdir / "pylua.toml").unlink()
    r = pylua(workdir, "main.lua", env={"PYLUA_RUNTIME_TIMEOUT": "1"})
    assert r.returncode == 1 and r.stderr.startswith("pylua: environment variable PYLUA_RUNTIME_TIMEOUT")


def test_cli_gives_the_state_its_configuration(workdir, monkeypatch):
    (workdir / "pylua.toml").write_text("[runtime]\nmax_memory_mb = 12\n")
    states = []
    new_state = cli.new_state
    monkeypatch.setattr(cli, "new_state", lambda: states.append(new_state()) or states[-1])
    assert cli.main(["-e", "x = 1"]) == 0
    assert config_of(states[0]).runtime.max_memory_mb == 12
