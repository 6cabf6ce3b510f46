import { forbidden } from 'next/navigation';

/** Where route handlers send a refused link (a route handler cannot render the 403 page itself; this page answers 403). */
export default function RefusedPage(): never {
  forbidden();
}
