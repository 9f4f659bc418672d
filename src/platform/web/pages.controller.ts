import { Public } from '../../modules/identity/access.decorators';
import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FundsService } from '../../modules/funds/funds.service';

@ApiExcludeController()
@Public()
@Controller()
export class PagesController {
  constructor(private readonly funds: FundsService) {}

  @Get()
  @Render('pages/start.njk')
  async start() {
    return { programmes: await this.funds.listProgrammes() };
  }

  @Get('accessibility')
  @Render('pages/accessibility.njk')
  accessibility() {
    return {};
  }
}
