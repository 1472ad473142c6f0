import { Expose, Plugin } from 'nestjs-plugins';

/** A plugin published as its own npm package: default-exported, with nestjs-plugins as a peer. */
@Plugin({ name: 'greeting', version: '2.0.0' })
export default class GreetingPlugin {
  @Expose()
  hello(name: string): string {
    return `Hello from a package, ${name}!`;
  }
}
