// The areas module's public surface: everything other modules may import from it.
export { AreasModule } from './areas.module';
export { AreasService, OUTSIDE_AREA, type AreaPopulation } from './areas.service';
export { PopulationInputDto } from './dto/population-input.dto';
/** Exported as a value only so other modules' entities can declare a foreign key to it (see the boundaries test). */
export { LocalAuthorityArea } from './entities/local-authority-area.entity';
