import { ValidationPipe } from '@nestjs/common';

/** Validates a body against its DTO's class-validator rules: 400 listing every failed rule, or the DTO instance. */
export const validateBody = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
