import { BadRequestException } from '@nestjs/common';

/** A deal for a contact that does not exist. An HttpException, so the controller answers 400 without mapping it. */
export class UnknownContactError extends BadRequestException {
  constructor(readonly contactId: number) {
    super(`contact ${contactId} does not exist`);
  }
}
