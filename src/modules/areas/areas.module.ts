import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AreasService } from './areas.service';
import { LocalAuthorityArea } from './entities/local-authority-area.entity';
import { LocalAuthorityPopulation } from './entities/local-authority-population.entity';

/** Reference data: the local authority areas in the force area, and their populations. */
@Module({
  imports: [TypeOrmModule.forFeature([LocalAuthorityArea, LocalAuthorityPopulation])],
  providers: [AreasService],
  exports: [AreasService],
})
export class AreasModule {}
