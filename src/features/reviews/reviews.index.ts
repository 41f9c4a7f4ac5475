import { createRouter } from '../../lib/router';
import { listDueReviewsHandler, recordReviewHandler } from './reviews.handlers';
import { listDueReviewsRoute, recordReviewRoute } from './reviews.routes';

export const reviewsRouter = createRouter().openapi(recordReviewRoute, recordReviewHandler).openapi(listDueReviewsRoute, listDueReviewsHandler);
