import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FundProgramme } from './entities/fund-programme.entity';
import { LocalAuthorityArea } from './entities/local-authority-area.entity';
import { FundsController } from './funds.controller';
import { FundsService } from './funds.service';

@Module({
  imports: [TypeOrmModule.forFeature([FundProgramme, LocalAuthorityArea])],
  controllers: [FundsController],
  providers: [FundsService],
  exports: [FundsService],
})
export class FundsModule {}
