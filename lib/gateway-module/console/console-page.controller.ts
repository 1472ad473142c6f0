import { Controller, Delete, Get, Header, HttpCode, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PLUGIN_GATEWAY_MODULE_OPTIONS, PLUGIN_GATEWAY_PATH, type PluginGatewayModuleOptions } from '../plugin-gateway-module.options.js';
import { clearedConsoleKeySetCookie, streamPathBeside } from './console-key-cookie.js';
import { CONSOLE_ASSETS } from './page/console-assets.js';
import { renderConsolePage } from './page/console-page.html.js';

export const CONSOLE_PATH = `${PLUGIN_GATEWAY_PATH}/console`;

/** What the page may load: its own scripts, styles, data and blob: images (the graph), nothing from elsewhere. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

interface PageResponse {
  setHeader(name: string, value: string): void;
  send(body: string): void;
}

/** The console's page and its assets: no data in them, so no key needed to fetch them. */
@ApiExcludeController()
@Controller(CONSOLE_PATH)
export class ConsolePageController {
  private readonly keyHeader: string;

  constructor(@Inject(PLUGIN_GATEWAY_MODULE_OPTIONS) options: PluginGatewayModuleOptions) {
    this.keyHeader = options.apiKeyHeader ?? 'X-API-Key';
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('X-Content-Type-Options', 'nosniff')
  page(@Req() request: { path: string }): string {
    // Paths built from the one requested, so a global prefix or a trailing slash keeps working.
    const pagePath = request.path.replace(/\/+$/, '');
    const gatewayPath = pagePath.slice(0, pagePath.length - '/console'.length);
    return renderConsolePage({ pagePath, gatewayPath, keyHeader: this.keyHeader });
  }

  /** Removes the stream's key cookie (the page cannot: it is HttpOnly). No key needed to drop one. */
  @Delete('stream-cookie')
  @HttpCode(204)
  forgetStreamCookie(@Req() request: { path: string; secure: boolean }, @Res({ passthrough: true }) response: PageResponse): void {
    response.setHeader('Set-Cookie', clearedConsoleKeySetCookie(streamPathBeside(request.path, 'stream-cookie'), request.secure));
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() response: PageResponse): void {
    const asset = CONSOLE_ASSETS.get(file);
    if (asset === undefined) throw new NotFoundException(`No console asset "${file}"`);
    response.setHeader('Content-Type', asset.contentType);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.send(asset.body);
  }
}
