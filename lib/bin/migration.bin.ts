#!/usr/bin/env node
import 'reflect-metadata';
import { runMigrationCli } from './migration-cli.js';

process.exitCode = await runMigrationCli(process.argv.slice(2), { out: console.log, err: console.error });
