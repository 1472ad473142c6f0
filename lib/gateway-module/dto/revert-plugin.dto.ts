import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString } from 'class-validator';

export class RevertPluginDto {
  @ApiProperty({ example: 'CreateNotes1700000000000', description: 'the migration to go back to: it stays applied, every later one is reverted' })
  @IsString()
  @IsNotEmpty()
  to!: string;
}
