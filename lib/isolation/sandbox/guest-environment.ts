/**
 * The environment of a `'process'` guest: the variables the plugin declares in
 * `@Plugin({ env })`, with the host's values; a name the host does not set is absent.
 */
export function guestEnvironment(names: readonly string[], hostEnvironment: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of names) {
    const value = hostEnvironment[name];
    if (value !== undefined) environment[name] = value;
  }
  return environment;
}
