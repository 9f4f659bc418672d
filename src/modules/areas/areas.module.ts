import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AreasService } from './areas.service';
import { LocalAuthorityArea } from './entities/local-authority-area.entity';

/** Reference data: the local authority areas in the force area. */
@Module({
  imports: [TypeOrmModule.forFeature([LocalAuthorityArea])],
  providers: [AreasService],
  exports: [AreasService],
})
export class AreasModule {}
