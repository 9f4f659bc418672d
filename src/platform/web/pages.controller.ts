import { Public } from '../access';
import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** Pages about the service itself (the start page belongs to funds: it lists the programmes). */
@ApiExcludeController()
@Public()
@Controller()
export class PagesController {
  @Get('accessibility')
  @Render('pages/accessibility.njk')
  accessibility() {
    return {};
  }
}
