"""Run configuration: a TOML file, environment variables over it, ``--print-config``.

The file is ``--config PATH``, else ``$PYLUA_CONFIG``, else ``pylua.toml`` in the
working directory when it exists (none at all: the defaults)::

    [runtime]
    script_timeout_ms = 0        # integer >= 0; 0: no limit
    max_memory_mb = 0            # integer >= 0; 0: no limit
    max_instructions = 0         # integer >= 0; 0: no limit
    enable_streaming = true

    [providers]
    default = "openai"           # the provider of a bare model name

    [providers.local]            # any name; openai, anthropic and mock are built in
    type = "openai"              # "openai", "anthropic" or "mock"
    model = "llama3"
    base_url = "http://localhost:11434/v1"
    api_key_env = "LOCAL_KEY"    # the variable that holds the key (api_key: the key itself)
    max_tokens = 1024            # integer > 0

    [security]
    sandbox_mode = false
    allowed_tools = ["search"]   # absent: every tool
    sandbox_allow = ["io.write"] # more library fields for the sandbox (pylua.sandbox)
    sandbox_deny = ["llm"]       # fields (or whole libraries) taken out of it
    sandbox_mcp_servers = ["uvx mcp-server-time"]   # commands and URLs it may use

Environment variables override the file, one per key: ``PYLUA_<SECTION>_<KEY>``
(``PYLUA_RUNTIME_MAX_MEMORY_MB=64``, ``PYLUA_SECURITY_ALLOWED_TOOLS=a,b``,
``PYLUA_PROVIDERS_DEFAULT=local``) and ``PYLUA_PROVIDERS_<NAME>_<KEY>`` for a provider
(``PYLUA_PROVIDERS_LOCAL_MODEL=llama3``; NAME is the provider's name in upper case,
other characters than letters and digits as ``_``). A variable of these prefixes
that names no key is an error, like a wrong key in the file.

What the runtime and security keys do is not decided here: they are stored for the
parts that enforce them. Nothing heavy is imported unless a file exists.
"""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Mapping, Optional

CONFIG_FILE = "pylua.toml"
CONFIG_VARIABLE = "PYLUA_CONFIG"
ENV_PREFIX = "PYLUA_"
PROVIDER_TYPES = ("openai", "anthropic", "mock")
MASK = "********"
SECRET_WORDS = ("KEY", "TOKEN", "SECRET")


class ConfigError(Exception):
    """A configuration that cannot be used; the message says where (``file:line:`` or
    the environment variable) and why."""


class Kind:
    """What a key holds: its description in errors, its check, and how the text of an
    environment variable becomes such a value (ValueError when it cannot)."""

    def __init__(self, description: str, check: Callable, parse: Callable) -> None:
        self.description = description
        self.check = check
        self.parse = parse


def parse_flag(text: str) -> bool:
    word = text.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


def parse_names(text: str) -> list:
    return [name.strip() for name in text.split(",") if name.strip()]


COUNT = Kind("an integer >= 0", lambda v: type(v) is int and v >= 0, int)
POSITIVE = Kind("an integer > 0", lambda v: type(v) is int and v > 0, int)
FLAG = Kind("a boolean (true or false)", lambda v: type(v) is bool, parse_flag)
TEXT = Kind("a string", lambda v: type(v) is str, str)
PROVIDER_TYPE = Kind('"openai", "anthropic" or "mock"',
                     lambda v: type(v) is str and v in PROVIDER_TYPES, str)
NAMES = Kind("an array of strings",
             lambda v: type(v) is list and all(type(x) is str for x in v), parse_names)


class Section:
    """A table of the file. ``KEYS`` maps each key to its kind and default; the
    values are attributes of the same names."""

    KEYS: dict = {}

    def __init__(self, **values: Any) -> None:
        for key, (_, default) in self.KEYS.items():
            setattr(self, key, values.pop(key, default))
        if values:
            raise TypeError(f"unknown keys: {', '.join(values)}")

    def items(self) -> list:
        return [(key, getattr(self, key)) for key in self.KEYS]

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.items() == self.items()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.items())})"


class RuntimeConfig(Section):
    """``[runtime]``: limits of a script (0: none) and whether agents may stream."""
    script_timeout_ms: int
    max_memory_mb: int
    max_instructions: int
    enable_streaming: bool
    KEYS = {"script_timeout_ms": (COUNT, 0), "max_memory_mb": (COUNT, 0),
            "max_instructions": (COUNT, 0), "enable_streaming": (FLAG, True)}


class ProviderConfig(Section):
    """``[providers.NAME]``: a provider table as ``llm`` takes it; None: not set."""
    type: Optional[str]
    model: Optional[str]
    base_url: Optional[str]
    api_key_env: Optional[str]
    api_key: Optional[str]
    max_tokens: Optional[int]
    KEYS = {"type": (PROVIDER_TYPE, None), "model": (TEXT, None), "base_url": (TEXT, None),
            "api_key_env": (TEXT, None), "api_key": (TEXT, None), "max_tokens": (POSITIVE, None)}


class SecurityConfig(Section):
    """``[security]``: the sandbox, its whitelist's additions and removals (names such
    as ``"io.write"``, see ``pylua.sandbox``) and the MCP servers (command lines and
    URLs) its scripts may use; the tools agents may use (None: every tool)."""
    sandbox_mode: bool
    allowed_tools: Optional[list]
    sandbox_allow: list
    sandbox_deny: list
    sandbox_mcp_servers: list
    KEYS = {"sandbox_mode": (FLAG, False), "allowed_tools": (NAMES, None),
            "sandbox_allow": (NAMES, []), "sandbox_deny": (NAMES, []),
            "sandbox_mcp_servers": (NAMES, [])}


PROVIDERS_KEYS = {"default": (TEXT, "openai")}


def builtin_providers() -> dict:
    """The providers that need no configuration; a table of the same name adds to them."""
    return {"openai": ProviderConfig(type="openai", api_key_env="OPENAI_API_KEY"),
            "anthropic": ProviderConfig(type="anthropic", api_key_env="ANTHROPIC_API_KEY"),
            "mock": ProviderConfig(type="mock")}


class Config:
    """The merged configuration. ``path`` is the file read (None: none), ``sources``
    tells where each value that is not a default came from: ``"file:line"`` or
    ``"$VARIABLE"``, by key path (``("runtime", "max_memory_mb")``)."""

    def __init__(self) -> None:
        self.runtime = RuntimeConfig()
        self.security = SecurityConfig()
        self.default_provider: str = PROVIDERS_KEYS["default"][1]
        self.providers: dict = builtin_providers()
        self.path: Optional[str] = None
        self.sources: dict = {}


def config_of(L: Any) -> Config:
    """The configuration of a state: what the ``pylua`` command loaded, else the defaults."""
    return getattr(L, "config", None) or Config()


def provider_config(config: Config, name: Optional[str] = None) -> dict:
    """The provider table ``llm``'s ``make_provider`` takes (keys that are set only) for
    the provider ``name``, or the default one."""
    name = config.default_provider if name is None else name
    provider = config.providers.get(name)
    if provider is None:
        raise ConfigError(f"unknown provider '{name}' (known: {', '.join(config.providers)})")
    return {key: value for key, value in provider.items() if value is not None}


# -- loading ---------------------------------------------------------------

def load_config(path: Optional[str] = None, env: Mapping = os.environ) -> Config:
    """The configuration from the file (``path``, ``$PYLUA_CONFIG`` or ``./pylua.toml``)
    and the environment ``env``; ConfigError when either is wrong."""
    config = Config()
    path = path or env.get(CONFIG_VARIABLE) or None
    if path is not None or os.path.isfile(CONFIG_FILE):
        config.path = path or CONFIG_FILE
        apply_file(config, config.path)
    apply_env(config, env)
    check_providers(config)
    return config


class Origin:
    """Where values come from, for errors and ``Config.sources``."""

    def where(self, path: tuple) -> str:
        raise NotImplementedError

    def error(self, path: tuple, message: str) -> ConfigError:
        return located(self.where(path), message)


class FileOrigin(Origin):
    def __init__(self, name: str, lines: dict) -> None:
        self.name = name
        self.lines = lines      # key path -> line (key_lines)

    def where(self, path: tuple) -> str:
        while path and path not in self.lines:
            path = path[:-1]
        return f"{self.name}:{self.lines[path]}" if path else self.name


class EnvOrigin(Origin):
    def __init__(self, variable: str) -> None:
        self.variable = variable

    def where(self, path: tuple) -> str:
        return "$" + self.variable


def apply_file(config: Config, name: str) -> None:
    import tomllib
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ConfigError(f"cannot read config file {name}: {e.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise ConfigError(f"{name}:{line}: not UTF-8 text") from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise syntax_error(name, text, str(e)) from None
    apply_table(config, table, FileOrigin(name, key_lines(text)))


def syntax_error(name: str, text: str, message: str) -> ConfigError:
    """tomllib's "Invalid value (at line 3, column 9)" as "name:3: invalid TOML: ..."."""
    import re
    m = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if m:
        return ConfigError(f"{name}:{m[1]}: invalid TOML: {message[:m.start()]} (column {m[2]})")
    line = max(len(text.splitlines()), 1)
    return ConfigError(f"{name}:{line}: invalid TOML: {message.replace(' (at end of document)', '')}"
                       " at the end of the file")


SECTIONS = ("runtime", "providers", "security")


def apply_table(config: Config, table: dict, origin: Origin) -> None:
    """Checks and stores the parsed file, section by section."""
    for section, content in table.items():
        path = (section,)
        if section not in SECTIONS:
            what = f"section [{section}]" if type(content) is dict else f"key '{section}' at top level"
            raise origin.error(path, f"unknown {what} (known sections: {', '.join(SECTIONS)})")
        if type(content) is not dict:
            raise origin.error(path, f"'{section}' must be a table ([{section}])")
        if section == "providers":
            apply_providers(config, content, origin)
        else:
            target = getattr(config, section)
            for key, value in content.items():
                assign(config, target, path, key, value, origin)


def apply_providers(config: Config, content: dict, origin: Origin) -> None:
    for key, value in content.items():
        if key in PROVIDERS_KEYS:
            config.default_provider = checked(config, PROVIDERS_KEYS, ("providers",), key, value, origin)
        elif type(value) is dict:
            provider = new_provider(config, key, origin)
            for field, v in value.items():
                assign(config, provider, ("providers", key), field, v, origin)
        else:
            raise origin.error(("providers", key), f"unknown key '{key}' in [providers] "
                               "(known: default, and provider tables [providers.NAME])")


def new_provider(config: Config, name: str, origin: Origin) -> ProviderConfig:
    """The provider ``name``, made (and its origin recorded) when it is new."""
    if name not in config.providers:
        config.providers[name] = ProviderConfig()
        config.sources[("providers", name)] = origin.where(("providers", name))
    return config.providers[name]


def assign(config: Config, target: Section, table: tuple, key: str, value: Any,
           origin: Origin) -> None:
    setattr(target, key, checked(config, target.KEYS, table, key, value, origin))


def checked(config: Config, keys: dict, table: tuple, key: str, value: Any, origin: Origin) -> Any:
    """``value`` if ``key`` is one of ``keys`` and the value of its kind (recorded in
    ``config.sources``); ConfigError otherwise."""
    path = table + (key,)
    kind = kind_of(keys, table, key, origin)
    if not kind.check(value):
        raise origin.error(path, f"'{key}' in {header(table)} must be {kind.description}, "
                                 f"not {toml_value(value)}")
    config.sources[path] = origin.where(path)
    return value


def kind_of(keys: dict, table: tuple, key: str, origin: Origin) -> Kind:
    if key not in keys:
        raise origin.error(table + (key,), f"unknown key '{key}' in {header(table)} "
                                           f"(known: {', '.join(keys)})")
    return keys[key][0]


def check_providers(config: Config) -> None:
    """Every provider has a type, and the default one exists."""
    for name, provider in config.providers.items():
        if provider.type is None:
            path = ("providers", name)
            raise located(config.sources[path], f"provider {header(path)} needs a 'type' "
                                                f"({PROVIDER_TYPE.description})")
    if config.default_provider not in config.providers:
        raise located(config.sources[("providers", "default")],
                      f"the default provider '{config.default_provider}' is not one of "
                      f"{', '.join(config.providers)}")


def located(source: str, message: str) -> ConfigError:
    """An error about the value that came from ``source`` (of ``Config.sources``)."""
    if source.startswith("$"):
        return ConfigError(f"environment variable {source[1:]}: {message}")
    return ConfigError(f"{source}: {message}")


# -- environment -----------------------------------------------------------

ENV_SECTIONS = {"RUNTIME": "runtime", "SECURITY": "security"}


def env_name(name: str) -> str:
    """A provider name as environment variables spell it."""
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in name).upper()


def apply_env(config: Config, env: Mapping) -> None:
    for variable in sorted(env):
        if variable.startswith(ENV_PREFIX) and variable != CONFIG_VARIABLE:
            apply_variable(config, variable, env[variable])


def apply_variable(config: Config, variable: str, text: str) -> None:
    section, _, rest = variable[len(ENV_PREFIX):].partition("_")
    origin = EnvOrigin(variable)
    if section in ENV_SECTIONS:
        table = (ENV_SECTIONS[section],)
        target = getattr(config, table[0])
        key = rest.lower()
        setattr(target, key, parsed(config, target.KEYS, table, key, text, origin))
    elif section == "PROVIDERS" and rest == "DEFAULT":
        config.default_provider = parsed(config, PROVIDERS_KEYS, ("providers",), "default", text, origin)
    elif section == "PROVIDERS":
        name, key = provider_variable(config, rest, origin)
        provider = new_provider(config, name, origin)
        setattr(provider, key, parsed(config, provider.KEYS, ("providers", name), key, text, origin))


def provider_variable(config: Config, rest: str, origin: EnvOrigin) -> tuple:
    """(provider name, key) of ``PYLUA_PROVIDERS_<NAME>_<KEY>``: the longest key that
    ends the variable, the provider whose name is spelt NAME (else NAME in lower case)."""
    for key in sorted(ProviderConfig.KEYS, key=len, reverse=True):
        suffix = "_" + key.upper()
        if rest.endswith(suffix) and len(rest) > len(suffix):
            spelt = rest[:-len(suffix)]
            names = [n for n in config.providers if env_name(n) == spelt]
            return (names[0] if names else spelt.lower()), key
    keys = ", ".join(k.upper() for k in ProviderConfig.KEYS)
    raise ConfigError(f"environment variable {origin.variable}: expected PYLUA_PROVIDERS_DEFAULT "
                      f"or PYLUA_PROVIDERS_<NAME>_<KEY> with KEY one of {keys}")


def parsed(config: Config, keys: dict, table: tuple, key: str, text: str, origin: EnvOrigin) -> Any:
    """The value of a variable's text, checked like a value of the file."""
    kind = kind_of(keys, table, key, origin)
    try:
        value = kind.parse(text)
    except ValueError:
        raise origin.error(table + (key,), f"must be {kind.description}, not '{text}'") from None
    return checked(config, keys, table, key, value, origin)


# -- where keys are --------------------------------------------------------

def key_lines(text: str) -> dict:
    """The line of each key path of a valid TOML text, where it first appears: table
    headers (``[a.b]``: ``("a",)`` and ``("a", "b")``), keys, each prefix of a dotted
    key, keys of inline tables. tomllib gives no positions, so the text is scanned."""
    scanner = KeyScanner(text)
    scanner.document()
    return scanner.lines


class KeyScanner:
    """Reads just enough TOML to know where keys are: values are skipped, strings and
    comments (which may hold anything) included."""

    BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict = {}

    def line(self) -> int:
        return self.text.count("\n", 0, self.pos) + 1

    def record(self, path: tuple, line: int) -> None:
        for n in range(1, len(path) + 1):
            self.lines.setdefault(path[:n], line)

    def skip_blank(self, newlines: bool = True) -> None:
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            if c == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            elif c in " \t\r" or (newlines and c == "\n"):
                self.pos += 1
            else:
                return

    def document(self) -> None:
        table: tuple = ()
        while True:
            self.skip_blank()
            if self.pos >= len(self.text):
                return
            if self.text[self.pos] == "[":
                brackets = 2 if self.text.startswith("[[", self.pos) else 1
                self.pos += brackets
                table = self.key()
                self.record(table, self.line())
                self.pos += brackets
                self.skip_blank(False)
            else:
                self.key_value(table)

    def key(self) -> tuple:
        """A dotted key's parts, the position after it."""
        parts = []
        while True:
            self.skip_blank(False)
            parts.append(self.simple_key())
            self.skip_blank(False)
            if not self.text.startswith(".", self.pos):
                return tuple(parts)
            self.pos += 1

    def simple_key(self) -> str:
        text, start = self.text, self.pos
        if text[start] in "\"'":
            self.string()
            import tomllib
            return next(iter(tomllib.loads(text[start:self.pos] + " = 0")))
        while self.pos < len(text) and text[self.pos] in self.BARE:
            self.pos += 1
        return text[start:self.pos]

    def key_value(self, table: Optional[tuple]) -> None:
        path = self.key()
        if table is not None:
            self.record(table + path, self.line())
        self.skip_blank(False)
        self.pos += 1                       # "="
        self.skip_blank(False)
        self.value(None if table is None else table + path)

    def value(self, path: Optional[tuple]) -> None:
        """Skips a value; the keys of an inline table are recorded under ``path``
        (None: not recorded, as in arrays)."""
        c = self.text[self.pos]
        if c in "\"'":
            self.string()
        elif c == "[":
            self.pos += 1
            self.items("]", lambda: self.value(None))
        elif c == "{":
            self.pos += 1
            self.items("}", lambda: self.key_value(path))
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}#\r\n":
                self.pos += 1

    def items(self, close: str, item: Callable) -> None:
        while True:
            self.skip_blank()
            c = self.text[self.pos]
            if c == close:
                self.pos += 1
                return
            if c == ",":
                self.pos += 1
            else:
                item()

    def string(self) -> None:
        text = self.text
        quote = text[self.pos]
        delimiter = quote * 3 if text.startswith(quote * 3, self.pos) else quote
        self.pos += len(delimiter)
        while not text.startswith(delimiter, self.pos):
            self.pos += 2 if quote == '"' and text[self.pos] == "\\" else 1
        self.pos += len(delimiter)
        while len(delimiter) == 3 and text.startswith(quote, self.pos):
            self.pos += 1                   # a multi-line string may end in quotes


# -- --print-config --------------------------------------------------------

def header(table: tuple) -> str:
    return "[" + ".".join(toml_key(part) for part in table) + "]"


def toml_key(key: str) -> str:
    return key if key and all(c in KeyScanner.BARE for c in key) else toml_value(key)


def toml_value(value: Any) -> str:
    """A value as TOML writes it (in messages, any other value as Python shows it)."""
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is str:
        escaped = "".join(c if c >= " " and c not in '"\\\x7f' else
                          ('\\' + c if c in '"\\' else f"\\u{ord(c):04x}") for c in value)
        return f'"{escaped}"'
    if type(value) is list:
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def format_config(config: Config, env: Mapping = os.environ) -> str:
    """The merged configuration as a TOML file, with where each value comes from in a
    comment; keys hidden: ``api_key`` values, and values from variables whose names
    say KEY, TOKEN or SECRET (except ``api_key_env``, a variable's name)."""
    out = [f"# pylua configuration: {config.path or 'no file, defaults'}"
           " and the environment (PYLUA_<SECTION>_<KEY>)"]
    sections = [(("runtime",), config.runtime.items()),
                (("providers",), [("default", config.default_provider)])]
    sections += [(("providers", name), provider.items()) for name, provider in config.providers.items()]
    sections.append((("security",), config.security.items()))
    for table, items in sections:
        out.append("\n" + header(table))
        for key, value in items:
            out.append(format_line(config, table + (key,), value, env))
    return "\n".join(out) + "\n"


def format_line(config: Config, path: tuple, value: Any, env: Mapping) -> str:
    key = path[-1]
    source = config.sources.get(path)
    notes = [source] if source else []
    if value is None:
        return f"# {key}: not set"
    if key == "api_key_env":
        notes.append(f"{value} is {'set' if env.get(value) else 'not set'}")
    if key == "api_key" or (source and source.startswith("$") and key != "api_key_env"
                            and any(word in source.upper() for word in SECRET_WORDS)):
        value = MASK
    line = f"{toml_key(key)} = {toml_value(value)}"
    return f"{line}  # {'; '.join(notes)}" if notes else line
