"""Queries built once per process and database, then run many times with other values: reads written as
querysets (`Prepared`), and the INSERT of a new model instance (`insert`).

Building a query through the ORM (resolving lookups and joins, the SELECT list, compiling the SQL) costs more CPU
than running a simple one: for the Open311 read of one case about a millisecond, more than the database's part.
A `Prepared` query is written as an ordinary queryset (so the rules it holds, such as "published cases only", stay
written once, in the ORM), built once with marker values standing for its arguments, and kept as SQL, parameters
and the converters of its columns; each run puts the real values in the markers' places and runs the SQL through
Django's cursor (so query counting, logging and execute wrappers see it like any other query).

Only for querysets whose SQL does not depend on their arguments' values: exact and range lookups on ints, strings
and datetimes, not `__in` lists (their placeholder count varies; pass a JSON list as one string argument, see
`cases.open311`) nor `__contains` (the value is rewritten). A page (`LIMIT`/`OFFSET`) is given to `run`, not
sliced in the queryset.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import NOT_PROVIDED, QuerySet
from django.db.models.signals import post_save, pre_save

_INT_MARKER = -(2**62)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: dict[str, int]  # argument name -> its index in params
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple, Any], ...]  # (column, converter functions, expression)


class Prepared:
    """`Prepared(build, pk=0, key="", since=datetime.now(UTC))`: `build(**arguments)` returns a `values()`
    queryset; the keyword values given here are examples of each argument's type (int, str or aware datetime).
    `run(using, limit=None, offset=0, **arguments)` gives the rows as dicts, like the queryset would."""

    def __init__(self, build: Callable[..., QuerySet], **examples: int | str | datetime):
        self.build = build
        self.markers: dict[str, int | str | datetime] = {}
        for number, (name, example) in enumerate(sorted(examples.items())):
            if isinstance(example, datetime):
                self.markers[name] = datetime(1901, 1, 1, 0, 0, 0, number + 1, tzinfo=UTC)
            elif isinstance(example, bool) or not isinstance(example, int | str):
                raise TypeError(f"{name}: only int, str and datetime arguments can be prepared")
            else:
                self.markers[name] = (_INT_MARKER + number if isinstance(example, int)
                                      else f"\x01prepared {name}\x01")
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        queryset = self.build(**self.markers)
        query = queryset.query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots, adapt = {}, connections[alias].ops.adapt_datetimefield_value
        for name, given in self.markers.items():
            # a datetime as the database receives it (SQLite: a string in UTC)
            marker = adapt(given) if isinstance(given, datetime) else given
            found = [index for index, value in enumerate(params) if type(value) is type(marker) and value == marker]
            if len(found) != 1:
                raise ValueError(f"argument {name} appears {len(found)} times in the prepared query's parameters")
            slots[name] = found[0]
        columns = [column for column, _sql, _alias in compiler.select[:compiler.col_count]]
        converters = tuple((index, tuple(functions), expression)
                           for index, (functions, expression) in compiler.get_converters(columns).items())
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        if len(names) != compiler.col_count:
            raise ValueError("a prepared query must be a values() queryset")
        return _Compiled(sql=sql, params=tuple(params), slots=slots, names=tuple(names), converters=converters)

    def sql(self, using: str = "default") -> str:
        return self._compiled_for(using).sql

    def _compiled_for(self, using: str) -> _Compiled:
        compiled = self._compiled.get(using)
        if compiled is None:  # two threads may both compile the first time: same result, no harm
            compiled = self._compiled[using] = self._compile(using)
        return compiled

    def run(self, using: str = "default", limit: int | None = None, offset: int = 0,
            **arguments: int | str | datetime) -> list[dict]:
        compiled = self._compiled_for(using)
        connection = connections[using]
        params = list(compiled.params)
        for name, slot in compiled.slots.items():
            value = arguments[name]
            params[slot] = connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value
        sql = compiled.sql
        if limit is not None:  # both databases read LIMIT … OFFSET …; ints only, so formatting is safe
            sql = f"{sql} LIMIT {int(limit)} OFFSET {int(offset)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        names = compiled.names
        answers = []
        for row in rows:
            values = list(row)
            for index, functions, expression in compiled.converters:
                value = values[index]
                for function in functions:
                    value = function(value, expression, connection)
                values[index] = value
            answers.append(dict(zip(names, values, strict=True)))
        return answers

    def forget(self) -> None:
        """Build the SQL again on the next run (after a schema change in tests)."""
        self._compiled.clear()


_INSERT_SQL: dict[tuple[str, type], tuple[str, tuple]] = {}


def _plain_insert_possible(model, connection) -> bool:
    if not connection.features.can_return_columns_from_insert:
        return False
    return all(field.db_default is NOT_PROVIDED and not field.generated for field in model._meta.concrete_fields)


def insert(instance, using: str = "default") -> None:
    """Write a new model instance as `instance.save()` would (every field's `pre_save`, e.g. auto_now, and its
    database preparation; the primary key read back), with the INSERT statement's text built once per model and
    database instead of compiled by the ORM on every save (for a case's ~60 columns that was most of the CPU of a
    creation). Models with save signals, database defaults or generated fields are saved the ordinary way."""
    model = type(instance)
    connection = connections[using]
    if instance._state.adding is False or instance.pk is not None:
        raise ValueError("insert() writes new rows only")
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        instance.save(using=using)
        return
    key = (using, model)
    entry = _INSERT_SQL.get(key)
    if entry is None:
        if not _plain_insert_possible(model, connection):
            instance.save(using=using)
            return
        opts = model._meta
        fields = tuple(field for field in opts.concrete_fields if not field.primary_key)
        quote = connection.ops.quote_name
        sql = (f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
               f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(opts.pk.column)}")
        entry = _INSERT_SQL[key] = (sql, fields)
    sql, fields = entry
    instance._prepare_related_fields_for_save(operation_name="save")
    params = [field.get_db_prep_save(field.pre_save(instance, True), connection=connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, using
