import 'reflect-metadata';
import { Injectable, type INestApplication } from '@nestjs/common';
import { IsEmail, IsString, MinLength } from 'class-validator';
import {
  Expose,
  InjectPluginContext,
  Plugin,
  PluginArgumentValidationError,
  PluginCallTimeoutError,
  PluginModule,
  PluginPermissionError,
  PluginRegistry,
  type PluginContext,
  type PluginModuleOptions,
} from 'nestjs-plugins';
import { bootApp } from './support/boot-app.js';

class NewContact {
  @IsString() @MinLength(2) name!: string;
  @IsEmail() email!: string;
}

@Injectable()
class ContactBook {
  readonly added: NewContact[] = [];

  @Expose({ permissions: ['contacts.read'] })
  count(): number {
    return this.added.length;
  }

  @Expose({ permissions: ['contacts.read', 'contacts.write'], validate: true })
  async add(contact: NewContact, source: string): Promise<string> {
    this.added.push(contact);
    return `${contact.name} from ${source}`;
  }

  @Expose({ timeoutMs: 40 })
  slow(ms: number): Promise<string> {
    return new Promise((resolve) => setTimeout(() => resolve(`after ${ms} ms`), ms));
  }

  @Expose({ timeoutMs: 40 })
  immediate(): string {
    return 'sync';
  }

  @Expose()
  open(): string {
    return 'anyone';
  }
}

@Plugin({ name: 'contact-book', version: '1.0.0', providers: [ContactBook] })
class ContactBookPlugin {}

/** Requests read and write; how much it holds depends on the host's grants. */
@Plugin({ name: 'reporter', version: '1.0.0', dependencies: ['contact-book'], permissions: ['contacts.read', 'contacts.write'] })
class ReporterPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

/** Requests nothing. */
@Plugin({ name: 'snoop', version: '1.0.0', dependencies: ['contact-book'] })
class SnoopPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

describe('@Expose guard options', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function boot(options: PluginModuleOptions = {}): Promise<INestApplication> {
    app = await bootApp([PluginModule.forRoot({ plugins: [ContactBookPlugin, ReporterPlugin, SnoopPlugin], ...options })]);
    return app;
  }

  describe('permissions', () => {
    it('lets a plugin call when it requests and is granted every listed permission', async () => {
      const started = await boot({ grants: { reporter: ['contacts.read', 'contacts.write'] } });
      const { ctx } = started.get(ReporterPlugin);
      expect(ctx.call('contact-book', 'count')).toBe(0);
      await expect(ctx.call('contact-book', 'add', { name: 'Ada', email: 'ada@example.com' }, 'import')).resolves.toBe('Ada from import');
    });

    it('refuses a permission the host did not grant, naming caller, permission and method', async () => {
      const started = await boot({ grants: { reporter: ['contacts.read'] } });
      const { ctx } = started.get(ReporterPlugin);
      expect(ctx.call('contact-book', 'count')).toBe(0);
      expect(() => ctx.call('contact-book', 'add', { name: 'Ada', email: 'ada@example.com' }, 'x')).toThrow(PluginPermissionError);
      expect(() => ctx.call('contact-book', 'add', { name: 'Ada', email: 'ada@example.com' }, 'x')).toThrow(
        'Plugin "reporter" lacks permission "contacts.write" to call "contact-book.add"',
      );
      expect(started.get(ContactBook).added).toEqual([]);
    });

    it('refuses a permission the plugin did not request, even when granted', async () => {
      const started = await boot({ grants: { snoop: ['contacts.read'] } });
      const { ctx } = started.get(SnoopPlugin);
      expect(() => ctx.call('contact-book', 'count')).toThrow('Plugin "snoop" lacks permission "contacts.read" to call "contact-book.count"');
      expect(() => ctx.getDependency('contact-book')!.count()).toThrow(PluginPermissionError);
      expect(ctx.call('contact-book', 'open')).toBe('anyone');
    });

    it("grants every requested permission with grants: 'all', and none by default", async () => {
      const trusting = await boot({ grants: 'all' });
      expect(trusting.get(ReporterPlugin).ctx.call('contact-book', 'count')).toBe(0);
      expect(() => trusting.get(SnoopPlugin).ctx.call('contact-book', 'count')).toThrow(PluginPermissionError);
      await trusting.close();

      const strict = await boot();
      expect(() => strict.get(ReporterPlugin).ctx.call('contact-book', 'count')).toThrow(PluginPermissionError);
    });

    it('does not restrict host code', async () => {
      const started = await boot();
      expect(started.get(PluginRegistry).call('contact-book', 'count')).toBe(0);
    });
  });

  describe('validate', () => {
    it('rejects invalid class-typed arguments with every failed constraint, and does not run the method', async () => {
      const started = await boot();
      const registry = started.get(PluginRegistry);
      const rejection = registry.call('contact-book', 'add', { name: 'A', email: 'not-an-email' }, 'form') as Promise<string>;
      await expect(rejection).rejects.toThrow(PluginArgumentValidationError);
      await expect(rejection).rejects.toThrow(
        'Invalid arguments for "contact-book.add": argument 0 (NewContact): name must be longer than or equal to 2 characters; argument 0 (NewContact): email must be an email',
      );
      await expect(registry.call('contact-book', 'add', null, 'form') as Promise<string>).rejects.toThrow('argument 0 (NewContact) must be an object');
      expect(started.get(ContactBook).added).toEqual([]);
    });

    it('runs the method with valid arguments, untouched', async () => {
      const started = await boot();
      const contact = { name: 'Grace', email: 'grace@example.com' };
      await expect(started.get(PluginRegistry).call('contact-book', 'add', contact, 'form')).resolves.toBe('Grace from form');
      expect(started.get(ContactBook).added).toEqual([contact]);
      expect(started.get(ContactBook).added[0]).toBe(contact);
    });
  });

  describe('timeoutMs', () => {
    it('rejects an async method that does not settle in time', async () => {
      const started = await boot();
      const registry = started.get(PluginRegistry);
      await expect(registry.call('contact-book', 'slow', 10)).resolves.toBe('after 10 ms');
      const late = registry.call('contact-book', 'slow', 300);
      await expect(late).rejects.toThrow(PluginCallTimeoutError);
      await expect(late).rejects.toThrow('Call to "contact-book.slow" did not settle within 40 ms');
    });

    it('returns a synchronous result as it is', async () => {
      const started = await boot();
      expect(started.get(PluginRegistry).call('contact-book', 'immediate')).toBe('sync');
    });
  });
});
