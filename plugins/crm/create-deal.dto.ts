import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import { DEAL_STAGES, type DealStage } from './deal-stage.js';

export class CreateDealDto {
  @IsInt()
  @Min(1)
  contactId!: number;

  @IsString()
  @IsNotEmpty()
  title!: string;

  @IsInt({ message: 'amount must be a whole number of cents' })
  @Min(0)
  amount!: number;

  @IsOptional()
  @IsIn(DEAL_STAGES)
  stage?: DealStage;
}
