"""The local Neo4j 5.26 Community server that graphvc manages itself.

When ``NEO4J_URI`` is unset graphvc runs its own server: the jars of ``org.neo4j:neo4j``
fetched from Maven Central by Maven (``pom.xml`` beside this file), started with the real
server entry point ``org.neo4j.server.CommunityEntryPoint`` on a generated ``neo4j.conf``,
Bolt only, on 127.0.0.1. Jars, data and logs live under ``GRAPHVC_HOME/neo4j``.

Nothing else in graphvc depends on this module's internals: the rest talks Bolt to whatever
``Settings.uri`` names, which may equally be a cluster or Aura.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError

from graphvc.config import Settings
from graphvc.errors import ServerError

__all__ = [
    "NEO4J_VERSION",
    "ServerStatus",
    "copy_dependencies",
    "ensure_running",
    "import_database",
    "install",
    "remove_database",
    "start",
    "status",
    "stop",
]

_POM = Path(__file__).with_name("pom.xml")
NEO4J_VERSION: str = re.findall(r"<neo4j.version>([^<]+)</neo4j.version>", _POM.read_text())[0]
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
#: neo4j-admin's entry point (from neo4j-command-line; the importer is neo4j-import-tool).
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
MIN_JAVA = 17

# The JVM options Neo4j's own start script passes (server.jvm.additional in its default conf).
_JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]


@dataclass(frozen=True)
class _Paths:
    root: Path

    @property
    def lib(self) -> Path:
        return self.root / f"lib-{NEO4J_VERSION}"

    @property
    def conf(self) -> Path:
        return self.root / "conf"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pid_file(self) -> Path:
        return self.root / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    @property
    def installed_marker(self) -> Path:
        return self.lib / ".installed"


def _paths(settings: Settings) -> _Paths:
    return _Paths(settings.home / "neo4j")


@dataclass(frozen=True)
class ServerStatus:
    """What :func:`status` found."""

    running: bool
    message: str
    pid: int | None = None


@cache
def _java_version(java: str) -> str:
    """What ``java -version`` prints (once per process: each run is a JVM start)."""
    return subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr


def _java_major(java: str) -> int:
    out = _java_version(java)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        raise ServerError(f"cannot read the Java version from {java!r}: {out.strip()[:200]!r}")
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise ServerError(
            f"Java {MIN_JAVA} or newer is needed to run Neo4j, and `java` is not on PATH"
        )
    major = _java_major(java)
    if major < MIN_JAVA:
        raise ServerError(
            f"Neo4j {NEO4J_VERSION} needs Java {MIN_JAVA} or newer; {java} is Java {major}"
        )
    return java


def _writable_root(settings: Settings, paths: _Paths) -> None:
    """Make the server's folder, or say in one line why ``GRAPHVC_HOME`` cannot hold it."""
    try:
        paths.root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=paths.root):
            pass
    except OSError as e:
        raise ServerError(
            f"GRAPHVC_HOME={str(settings.home)!r} cannot be written ({e.strerror}): "
            "set GRAPHVC_HOME to a folder of your own"
        ) from None


def copy_dependencies(pom_source: Path, root: Path, lib: Path, *, what: str) -> None:
    """Copy the runtime dependencies of the Maven project ``pom_source`` from Maven Central
    into the folder ``lib`` (replacing it), through a staging folder in ``root`` so that a
    fetch that fails half-way leaves no half folder. The Neo4j server and the Spark engine's
    connector are fetched so.

    Raises :class:`ServerError` naming ``what`` when Maven is missing or cannot fetch it.
    """
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError(
            f"Maven is needed to fetch {what} from Maven Central; `mvn` is not on PATH"
        )
    root.mkdir(parents=True, exist_ok=True)
    pom = root / "pom.xml"
    shutil.copyfile(pom_source, pom)
    staging = root / f"{lib.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    command = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={staging}",
        "-DincludeScope=runtime",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise ServerError(f"Maven could not fetch {what}: {' | '.join(tail)}")
    shutil.rmtree(lib, ignore_errors=True)
    staging.rename(lib)


def install(settings: Settings) -> Path:
    """Fetch the Neo4j jars with Maven into ``GRAPHVC_HOME`` (a no-op once done).

    Returns the folder of jars.
    """
    paths = _paths(settings)
    if paths.installed_marker.exists():
        return paths.lib
    _require_java()
    _writable_root(settings, paths)
    copy_dependencies(_POM, paths.root, paths.lib, what=f"org.neo4j:neo4j:{NEO4J_VERSION}")
    paths.installed_marker.write_text(NEO4J_VERSION)
    return paths.lib


def _class_archive(paths: _Paths, java: str) -> Path:
    """The server's class-data archive for this Java build, beside the jars it was made from
    (a reinstall or another Java makes a new one)."""
    build = hashlib.sha1(_java_version(java).encode()).hexdigest()[:12]
    return paths.lib / f"server-classes-{build}.jsa"


def _class_archive_options(paths: _Paths, java: str) -> list[str]:
    """JVM options that load Neo4j's classes from a class-data archive (Java's AppCDS).

    Mapping the classes ready-parsed, rather than parsing them again, shortens each start and
    the first query; a bulk load restarts the server, so it pays there too. The first
    start of a new install writes the archive as the server exits
    (``-XX:ArchiveClassesAtExit``), into a ``.partial`` file that :func:`stop` keeps only
    after a clean shutdown. Java checks the archive against its jars and build when it maps
    it, and starts without it when they differ.
    """
    archive = _class_archive(paths, java)
    if archive.exists():
        return [f"-XX:SharedArchiveFile={archive}"]
    partial = archive.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    return [f"-XX:ArchiveClassesAtExit={partial}"]


def _keep_class_archive(paths: _Paths, *, clean_exit: bool) -> None:
    """Keep the archive a server wrote as it exited, or drop it when it was killed midway."""
    for partial in paths.lib.glob("server-classes-*.partial"):
        if clean_exit:
            partial.replace(partial.with_suffix(".jsa"))
        else:
            partial.unlink(missing_ok=True)


def _write_conf(settings: Settings, paths: _Paths) -> Path:
    paths.conf.mkdir(parents=True, exist_ok=True)
    conf = paths.conf / "neo4j.conf"
    conf.write_text(
        "# Written by graphvc at every start; edit the GRAPHVC_* settings instead.\n"
        "server.default_listen_address=127.0.0.1\n"
        "server.default_advertised_address=127.0.0.1\n"
        "server.bolt.enabled=true\n"
        f"server.bolt.listen_address=127.0.0.1:{settings.bolt_port}\n"
        "server.http.enabled=false\n"
        "server.https.enabled=false\n"
        f"server.directories.data={paths.data}\n"
        f"server.directories.logs={paths.logs}\n"
        f"server.memory.heap.max_size={settings.heap}\n"
        f"server.memory.pagecache.size={settings.pagecache}\n"
        "dbms.security.auth_enabled=true\n"
        "dbms.usage_report.enabled=false\n"
        f"db.transaction.timeout={int(settings.query_timeout) * 10}s\n"
        # Bolt's network threads stop without the 5 s quiet period (twice: two connectors) that
        # Netty otherwise waits for a task nobody can send once the connectors are closed; as
        # Neo4j's own test harness sets it. A stop takes a second, not eleven.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0\n"
    )
    return conf


def _bolt_answers(settings: Settings) -> tuple[bool, str]:
    """Whether the server on the configured URI answers with our credentials, and why not."""
    try:
        # Short timeouts: something that accepts TCP but never speaks Bolt must not hang us.
        with neo4j.GraphDatabase.driver(
            settings.uri,
            auth=settings.auth,
            connection_timeout=3.0,
            connection_acquisition_timeout=5.0,
            max_transaction_retry_time=0.0,
        ) as driver:
            driver.verify_connectivity()
        return True, "answers"
    except AuthError:
        return False, f"a server on {settings.uri} refused user {settings.neo4j_username!r}"
    except (DriverError, OSError, Neo4jError) as e:
        # A server still starting may accept the connection and then not answer in time (the
        # driver's SessionExpired): not ready yet, like one that refuses the connection.
        return False, f"nothing answers on {settings.uri} ({type(e).__name__})"


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _read_pid(paths: _Paths) -> int | None:
    """The pid of our server process, or None (removing a stale pid file)."""
    try:
        pid = int(paths.pid_file.read_text().strip())
    except (OSError, ValueError):  # no pid file, or a GRAPHVC_HOME that cannot hold one
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        cmdline = None
    # An empty command line is a process between fork and exec (the java launcher may re-exec).
    ours = cmdline == "" or (
        cmdline is not None and ENTRY_POINT in cmdline and str(paths.root) in cmdline
    )
    if ours and _alive(pid):
        return pid
    paths.pid_file.unlink(missing_ok=True)
    return None


def status(settings: Settings) -> ServerStatus:
    """Whether the managed server is up and answering Bolt with graphvc's credentials."""
    paths = _paths(settings)
    pid = _read_pid(paths)
    answers, why = _bolt_answers(settings)
    if answers:
        owner = f"pid {pid}" if pid else "not started by this GRAPHVC_HOME"
        return ServerStatus(True, f"Neo4j is running at {settings.uri} ({owner})", pid)
    if pid:
        return ServerStatus(False, f"Neo4j (pid {pid}) is not answering yet: {why}", pid)
    return ServerStatus(False, f"Neo4j is not running: {why}")


def _set_initial_password(
    settings: Settings, paths: _Paths, java: str, env: dict[str, str]
) -> None:
    if (paths.data / "dbms").exists():
        return
    command = [
        java,
        "-cp",
        f"{paths.lib}/*",
        ADMIN_TOOL,
        "dbms",
        "set-initial-password",
        settings.neo4j_password,
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        message = (done.stdout + done.stderr).strip().splitlines()
        raise ServerError(
            f"could not set the initial password: {message[-1] if message else done.returncode}"
        )


def start(settings: Settings) -> str:
    """Start the managed server and return once Bolt answers; a no-op when it already runs."""
    current = status(settings)
    if current.running:
        return f"already running: {current.message}"
    paths = _paths(settings)
    if "refused user" in current.message:
        raise _refused(settings)
    if current.pid is None and _port_open(settings.bolt_port):
        raise ServerError(
            f"port {settings.bolt_port} on 127.0.0.1 is taken by another process "
            f"({current.message}); stop it or set GRAPHVC_NEO4J_BOLT_PORT"
        )
    java = _require_java()
    _writable_root(settings, paths)
    install(settings)
    conf = _write_conf(settings, paths)
    paths.logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(paths.root), "NEO4J_CONF": str(conf.parent)}
    _set_initial_password(settings, paths, java, env)
    process = current.pid
    if process is None:
        command = [
            java,
            f"-Xms{min_heap(settings.heap)}",
            f"-Xmx{settings.heap}",
            *_JVM_OPTIONS,
            *_class_archive_options(paths, java),
            "-cp",
            f"{paths.lib}/*",
            ENTRY_POINT,
            f"--home-dir={paths.root}",
            f"--config-dir={paths.conf}",
        ]
        with paths.console_log.open("ab") as log:
            popen = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                cwd=paths.root,
            )
        paths.pid_file.write_text(str(popen.pid))
        process = popen.pid
    deadline = time.monotonic() + settings.start_timeout
    while time.monotonic() < deadline:
        answers, why = _bolt_answers(settings)
        if answers:
            return f"started Neo4j {NEO4J_VERSION} at {settings.uri} (pid {process}); logs in {paths.logs}"
        if "refused user" in why:
            raise _refused(settings)
        if _read_pid(paths) is None:
            raise ServerError(
                f"Neo4j exited while starting ({why}); see {paths.console_log} and {paths.logs / 'neo4j.log'}"
            )
        time.sleep(0.1)  # each tenth of a second: a bulk load waits on this restart
    _keep_class_archive(paths, clean_exit=_terminate(process, grace=10))
    paths.pid_file.unlink(missing_ok=True)
    raise ServerError(
        f"Neo4j did not answer on {settings.uri} within {settings.start_timeout:.0f}s; "
        f"see {paths.logs / 'neo4j.log'}"
    )


def _refused(settings: Settings) -> ServerError:
    return ServerError(
        f"Neo4j on {settings.uri} refused user {settings.neo4j_username!r}: check NEO4J_PASSWORD "
        "(the local server keeps the password it was first started with)"
    )


def min_heap(heap: str) -> str:
    """Initial heap: the max heap up to 1 GiB, so start-up stays quick on a small machine."""
    units = {"k": 1, "m": 1024, "g": 1024 * 1024}
    kib = int(heap[:-1]) * units[heap[-1].lower()]
    return heap if kib <= 1024 * 1024 else "1g"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie child of this process is dead too
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _terminate(pid: int, grace: float) -> bool:
    """Ask ``pid`` to exit, kill it after ``grace`` seconds; whether it exited when asked
    (not when it was already gone: it ended some other way)."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.25)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    return False


def stop(settings: Settings) -> str:
    """Stop the managed server (a clean shutdown, killed after 60 s); a no-op when not running."""
    paths = _paths(settings)
    pid = _read_pid(paths)
    if pid is None:
        return f"not running (no graphvc Neo4j under {paths.root})"
    _keep_class_archive(paths, clean_exit=_terminate(pid, grace=60))
    paths.pid_file.unlink(missing_ok=True)
    return f"stopped Neo4j (pid {pid})"


def remove_database(settings: Settings) -> None:
    """Delete the database's store and transaction logs; the next :func:`start` creates it
    again, empty. Seconds whatever it held, where deleting a large graph through Cypher takes
    minutes and leaves the deletions for the server to flush. The server must be stopped
    (:func:`stop`); any driver that used the old store must forget its bookmarks
    (:func:`graphvc.db.forget_bookmarks`)."""
    paths = _paths(settings)
    if _read_pid(paths) is not None:
        raise ServerError(
            f"Neo4j under {paths.root} is running: stop it before removing a database"
        )
    for part in ("databases", "transactions"):
        shutil.rmtree(paths.data / part / settings.neo4j_database, ignore_errors=True)


def import_database(
    settings: Settings,
    *,
    nodes: Sequence[Path],
    relationships: Sequence[Path],
    work: Path,
    multiline: bool = False,
) -> str:
    """Replace the database with one built from CSV files by Neo4j's offline importer.

    Runs ``neo4j-admin database import full --overwrite-destination`` on the managed server's
    configuration, with its heap and, for the importer's own caches, its page cache size. The
    server must be stopped (:func:`stop`). ``nodes`` and ``relationships`` are CSV files with
    their header on the first line; the nodes' ``:ID`` and the relationships' ``:START_ID`` and
    ``:END_ID`` are the node ids of the new store, numbered from 0 (``--id-type=actual``: the
    importer maps no ids). The importer's report goes in ``work``. ``multiline``: some quoted field spans lines (slower to
    read). Any bad entry (a duplicate id, a relationship to a missing node) fails the import.
    Returns the importer's output.
    """
    paths = _paths(settings)
    if _read_pid(paths) is not None:
        raise ServerError(f"Neo4j under {paths.root} is running: stop it before an offline import")
    java = _require_java()
    install(settings)
    conf = _write_conf(settings, paths)
    paths.logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(paths.root), "NEO4J_CONF": str(conf.parent)}
    _set_initial_password(settings, paths, java, env)
    command = [
        # The parallel collector: the importer is a batch job, throughput is all that counts
        # (G1, the default, trades throughput for short pauses nobody waits on here).
        java,
        f"-Xmx{settings.heap}",
        "-XX:+UseParallelGC",
        "-cp",
        f"{paths.lib}/*",
        ADMIN_TOOL,
        "database",
        "import",
        "full",
        settings.neo4j_database,
        "--overwrite-destination",
        f"--multiline-fields={str(multiline).lower()}",
        "--bad-tolerance=0",
        "--strict=true",
        "--id-type=actual",
        f"--max-off-heap-memory={settings.pagecache}",
        f"--report-file={work / 'import.report'}",
        *[f"--nodes={path}" for path in nodes],
        *[f"--relationships={path}" for path in relationships],
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=work, check=False)
    if done.returncode != 0:
        message = [line for line in (done.stdout + done.stderr).strip().splitlines() if line]
        raise ServerError(
            f"the offline import into {settings.neo4j_database!r} failed: "
            f"{message[-1] if message else done.returncode}"
        )
    return done.stdout


def ensure_running(settings: Settings) -> None:
    """Start the managed server when ``NEO4J_URI`` is unset and it is not up yet."""
    if settings.uses_local_server and not status(settings).running:
        start(settings)
