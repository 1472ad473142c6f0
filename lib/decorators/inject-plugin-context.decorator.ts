import { Inject } from '@nestjs/common';
import { PLUGIN_CONTEXT } from '../constants.js';

/** Injects the `PluginContext` of the plugin whose module declares the provider. */
export const InjectPluginContext = (): PropertyDecorator & ParameterDecorator => Inject(PLUGIN_CONTEXT);
