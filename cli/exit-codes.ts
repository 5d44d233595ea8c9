/** The command line's exit codes, a contract: 0 success, 2 bad input or a refused request, 1 otherwise. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
