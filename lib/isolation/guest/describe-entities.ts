import type { WireEntitySchema } from '../plugin-description.js';

/** The parts of TypeORM's decorator storage an entity's description reads; each entry names its class in `target`. */
interface DecoratorArgs {
  readonly target: Function | string;
  readonly propertyName?: string;
  readonly [key: string]: unknown;
}

interface DecoratorStorage {
  readonly [list: string]: readonly DecoratorArgs[];
}

/** Column types given as constructors that the host has too. */
const CONSTRUCTOR_TYPES = new Set(['String', 'Number', 'Boolean', 'Date', 'Buffer', 'Object', 'Array']);

/** Column modes and the `EntitySchemaColumnOptions` flag each becomes. */
const COLUMN_MODES: Readonly<Record<string, string | null>> = {
  regular: null,
  createDate: 'createDate',
  updateDate: 'updateDate',
  deleteDate: 'deleteDate',
  version: 'version',
  'virtual-property': 'virtualProperty',
};

/** Relation options that are data, copied as they are. */
const RELATION_OPTIONS = ['cascade', 'nullable', 'onDelete', 'onUpdate', 'deferrable', 'createForeignKeyConstraints', 'eager', 'persistence', 'orphanedRowAction'];

/**
 * What cannot be described as data: code that would have to run on the host (listeners, subscribers,
 * transformers), or parts not converted yet (embedded columns, inheritance, trees).
 */
const UNSUPPORTED: ReadonlyArray<readonly [list: string, what: string]> = [
  ['relationIds', '@RelationId'],
  ['embeddeds', 'embedded columns'],
  ['entityListeners', 'entity listeners (@BeforeInsert, @AfterLoad, …)'],
  ['trees', 'tree structures (@Tree)'],
  ['inheritances', 'table inheritance (@TableInheritance)'],
  ['discriminatorValues', 'child entities (@ChildEntity)'],
  ['foreignKeys', 'foreign keys (@ForeignKey)'],
  ['exclusions', 'exclusion constraints (@Exclusion)'],
];

/**
 * The plugin's entities as `EntitySchemaOptions`, from TypeORM's decorator metadata, so the host
 * can register and query its tables without the classes. What does not fit is added to
 * `problems`, one line per entity and reason; the plugin then fails registration.
 */
export async function describeEntities(entities: readonly unknown[], problems: string[]): Promise<WireEntitySchema[]> {
  if (entities.length === 0) return [];
  const { getMetadataArgsStorage } = await import('typeorm');
  const storage = getMetadataArgsStorage() as unknown as DecoratorStorage;
  const described: WireEntitySchema[] = [];
  for (const entity of entities) {
    if (typeof entity !== 'function') {
      problems.push('entities must list entity classes');
      continue;
    }
    const entityProblems: string[] = [];
    const options = describeEntity(entity, entities as Function[], storage, entityProblems);
    problems.push(...entityProblems.map((problem) => `entity ${entity.name} ${problem}`));
    if (entityProblems.length === 0) described.push({ name: entity.name, options });
  }
  return described;
}

function describeEntity(entity: Function, pluginEntities: readonly Function[], storage: DecoratorStorage, problems: string[]): Record<string, unknown> {
  const table = storage.tables.find((candidate) => candidate.target === entity);
  if (table === undefined) {
    problems.push('is not decorated with @Entity()');
    return {};
  }
  if (table.type !== undefined && table.type !== 'regular') problems.push(`is a ${String(table.type)} entity; a 'process' plugin's entities must be regular tables`);
  const classes = inheritanceChain(entity);
  const of = (list: string) => (storage[list] ?? []).filter((args) => classes.includes(args.target as Function));
  for (const [list, what] of UNSUPPORTED) {
    if (of(list).length > 0) problems.push(`uses ${what}, which a 'process' plugin cannot declare yet: its entities are described to the host as data`);
  }
  const columns: Record<string, unknown> = {};
  // Parents first, so the class's own declaration of a property wins over theirs.
  for (const owner of [...classes].reverse()) {
    for (const args of (storage.columns ?? []).filter((candidate) => candidate.target === owner)) {
      const propertyName = args.propertyName!;
      columns[propertyName] = describeColumn(args, of('generations').find((generation) => generation.propertyName === propertyName), problems);
    }
  }
  const properties = Object.fromEntries(Object.keys(columns).map((property) => [property, property]));
  const options = plain({
    tableName: table.name,
    database: table.database,
    schema: table.schema,
    synchronize: table.synchronize,
    withoutRowid: table.withoutRowid,
    orderBy: table.orderBy,
    columns,
    relations: Object.fromEntries(of('relations').map((relation) => [relation.propertyName, describeRelation(relation, pluginEntities, of, problems)])),
    indices: of('indices').map(({ target, columns: indexed, ...index }) => plain({ ...index, columns: columnNames(indexed, properties) })),
    uniques: of('uniques').map(({ target, columns: unique, ...constraint }) => plain({ ...constraint, columns: columnNames(unique, properties) })),
    checks: of('checks').map(({ target, ...check }) => plain(check)),
  });
  const code = codePath(options);
  if (code !== undefined) problems.push(`declares ${code} as code (a function), which cannot cross to the host`);
  return options;
}

/** Where a function sits in a description (`columns.total.query`), if anywhere. */
function codePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'function') return path;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = codePath(child, path === '' ? key : `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function describeColumn(args: DecoratorArgs, generation: DecoratorArgs | undefined, problems: string[]): Record<string, unknown> {
  // `@Column({ unique })` recorded its constraint in `uniques` already; kept here, the schema would add it twice.
  const { type, default: defaultValue, transformer, unique: _recordedInUniques, ...options } = (args.options ?? {}) as Record<string, unknown>;
  const mode = String(args.mode);
  if (!(mode in COLUMN_MODES)) problems.push(`column ${args.propertyName} is a "${mode}" column, which a 'process' plugin cannot declare yet`);
  if (transformer !== undefined) problems.push(`column ${args.propertyName} has a transformer: it is code, and would have to run on the host`);
  const flag = COLUMN_MODES[mode];
  return plain({
    ...options,
    ...(flag ? { [flag]: true } : {}),
    type: wireType(type, args.propertyName!, problems),
    default: typeof defaultValue === 'function' ? { $sql: String(defaultValue()) } : defaultValue,
    ...(generation === undefined ? {} : { generated: generation.strategy }),
  });
}

/**
 * A relation as `EntitySchemaRelationOptions`: its target by entity name (one of the plugin's own
 * entities, whose stand-ins the host builds together), its join column and join table as data.
 */
function describeRelation(
  relation: DecoratorArgs,
  pluginEntities: readonly Function[],
  of: (list: string) => DecoratorArgs[],
  problems: string[],
): Record<string, unknown> {
  const property = relation.propertyName!;
  const type = relation.type;
  const related: unknown = typeof type === 'function' ? type() : type;
  const target = typeof related === 'string' ? related : (related as Function | undefined)?.name;
  if (!pluginEntities.some((entity) => entity === related || entity.name === related)) {
    problems.push(`has a relation ${property} to ${target ?? 'nothing'}, which is not one of the plugin's entities`);
  }
  if (relation.isLazy) problems.push(`has a lazy relation ${property}: its promise cannot cross to the plugin's process`);
  const inverse = relation.inverseSideProperty;
  const options = (relation.options ?? {}) as Record<string, unknown>;
  const joinColumns = of('joinColumns').filter((joinColumn) => joinColumn.propertyName === property);
  const joinTable = of('joinTables').find((candidate) => candidate.propertyName === property);
  return plain({
    type: relation.relationType,
    target,
    inverseSide: typeof inverse === 'function' ? inverse(new Proxy({}, { get: (_, key) => key })) : inverse,
    ...Object.fromEntries(RELATION_OPTIONS.map((option) => [option, options[option]])),
    joinColumn: joinColumns.length === 0 ? undefined : joinColumns.map(({ target: _owner, propertyName: _property, ...joinColumn }) => plain(joinColumn)),
    joinTable: joinTable === undefined ? undefined : plain({ ...joinTable, target: undefined, propertyName: undefined }),
  });
}

function wireType(type: unknown, propertyName: string, problems: string[]): unknown {
  if (typeof type !== 'function') return type;
  if (CONSTRUCTOR_TYPES.has(type.name)) return { $constructor: type.name };
  problems.push(`column ${propertyName} has the type ${type.name}; give it a database type (@Column({ type: '…' }))`);
  return undefined;
}

/** Index and unique columns may be given as a function of the entity's properties. */
function columnNames(columns: unknown, properties: Record<string, string>): unknown {
  return typeof columns === 'function' ? columns(properties) : columns;
}

/** The entity's class and the classes it extends: their columns are the entity's too. */
function inheritanceChain(entity: Function): Function[] {
  const chain: Function[] = [];
  for (let current: unknown = entity; typeof current === 'function' && current !== Function.prototype; current = Object.getPrototypeOf(current)) chain.push(current as Function);
  return chain;
}

/** Without the keys whose value is undefined, so the description stays small. */
function plain(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
