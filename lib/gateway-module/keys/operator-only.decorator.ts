import { SetMetadata } from '@nestjs/common';

export const OPERATOR_ONLY = Symbol('nestjs-plugins:OperatorOnly');

/** Routes for the operator's key only: a plugin's key gets a 403 (`OperatorKeyRequiredError`). */
export const OperatorOnly = (): ClassDecorator & MethodDecorator => SetMetadata(OPERATOR_ONLY, true);
