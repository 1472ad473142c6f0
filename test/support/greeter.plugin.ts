import { Controller, Get } from '@nestjs/common';
import { Plugin } from 'nestjs-plugins';

@Controller('greeting')
class GreetingController {
  @Get()
  greet() {
    return { hello: 'world' };
  }
}

/** A plugin with one controller: `GET /plugins/greeter/greeting` answers `{ hello: 'world' }`. */
@Plugin({ name: 'greeter', version: '1.0.0', controllers: [GreetingController] })
export class GreeterPlugin {}
