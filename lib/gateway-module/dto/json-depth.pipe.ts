import { BadRequestException, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

/** Refuses a body nested deeper than 64 levels with a 400, before validation walks it. */
export class JsonDepthPipe implements PipeTransform {
  transform(value: unknown, { type }: ArgumentMetadata): unknown {
    if (type === 'body' && exceedsJsonDepth(value)) throw new BadRequestException(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    return value;
  }
}
