/**
 * What a guest reports about a plugin it imported for the host, which never imports a
 * `'process'` plugin itself (docs/isolation.md, "Where the plugin's metadata comes from").
 * Everything here is plain data: classes stay in the guest.
 */

/** A column's type given as a JavaScript constructor (`@Column() name: string` records `String`). */
export interface WireConstructor {
  readonly $constructor: string;
}

/** A column default given as a function: TypeORM calls it for the SQL expression, which crosses instead. */
export interface WireSqlDefault {
  readonly $sql: string;
}

/**
 * An entity as TypeORM's `EntitySchemaOptions`, without `target` (the host gives it one of
 * its own); column `type` and `default` may be the wire forms above.
 */
export interface WireEntitySchema {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A migration as the host plans it; its class stays in the guest (`PluginMigration` without the instance). */
export interface WireMigration {
  readonly name: string;
  readonly checksum: string;
}

export interface PluginDescription {
  /** the class's name, for messages */
  readonly className: string;
  /** every field of the plugin's metadata that is plain data, as declared (`name`, `version`, `isolation`, …) */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly entities: readonly WireEntitySchema[];
  /** `@Plugin({ migrations })`, in the order they run */
  readonly migrations: readonly WireMigration[];
  /** the `configSchema` class stays in the guest: configuration is validated there */
  readonly hasConfigSchema: boolean;
}

export type DescribeOutcome =
  | { readonly kind: 'described'; readonly description: PluginDescription }
  | { readonly kind: 'import-failed'; readonly message: string }
  | { readonly kind: 'not-a-plugin' }
  | { readonly kind: 'invalid-metadata'; readonly subject: string; readonly problems: readonly string[] }
  | { readonly kind: 'unscoped-database-access'; readonly pluginName: string; readonly door: string };
