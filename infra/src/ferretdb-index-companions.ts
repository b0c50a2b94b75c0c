/**
 * FerretDB v1 (PostgreSQL backend) pushes a find's equalities down to PostgreSQL as jsonb
 * containment, `_jsonb->'field' @> '"value"'`, yet indexes each field with a btree on
 * `_jsonb->'field'`, which containment cannot use: every find, by `_id` too, scans its whole
 * table (EXPLAIN shows a sequential scan; 1.5 s at a million audit entries). MongoDB uses the
 * same indexes as they are meant. So that the embedded stack scales the way production does,
 * PostgreSQL gets an event trigger that gives every btree index FerretDB creates a GIN
 * companion over the same fields (`<index>_gin`), which containment uses, and drops the
 * companion with its index. Sorting stays FerretDB's, in memory, over the rows that match.
 */
export const INDEX_COMPANIONS_SQL = `
CREATE OR REPLACE FUNCTION messngr_add_gin_companion() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  created record;
  fields text;
  index_name text;
  table_name text;
BEGIN
  FOR created IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    SELECT c.relname, i.indrelid::regclass::text INTO index_name, table_name
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
      WHERE i.indexrelid = created.objid AND a.amname = 'btree';
    CONTINUE WHEN index_name IS NULL;
    SELECT string_agg(pg_get_indexdef(created.objid, k, true), ', ' ORDER BY k) INTO fields
      FROM generate_series(1, (SELECT indnkeyatts FROM pg_index WHERE indexrelid = created.objid)) AS k;
    CONTINUE WHEN fields IS NULL OR position('_jsonb' in fields) = 0;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s)', left(index_name, 59) || '_gin', table_name, fields);
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION messngr_drop_gin_companion() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  dropped record;
BEGIN
  FOR dropped IN SELECT * FROM pg_event_trigger_dropped_objects()
    WHERE object_type = 'index' AND original AND right(object_name, 4) <> '_gin' LOOP
    EXECUTE format('DROP INDEX IF EXISTS %I.%I', dropped.schema_name, left(dropped.object_name, 59) || '_gin');
  END LOOP;
END $$;

CREATE EVENT TRIGGER messngr_add_gin_companions ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION messngr_add_gin_companion();
CREATE EVENT TRIGGER messngr_drop_gin_companions ON sql_drop WHEN TAG IN ('DROP INDEX')
  EXECUTE FUNCTION messngr_drop_gin_companion();
`;
