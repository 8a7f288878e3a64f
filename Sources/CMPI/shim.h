#ifndef HONE_CMPI_SHIM_H
#define HONE_CMPI_SHIM_H
#include <mpi.h>

// Open MPI's predefined handles are macros over addresses of global structs, which Swift
// cannot import; these functions hand them over.
static inline MPI_Comm hone_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype hone_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype hone_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype hone_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op hone_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Request hone_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *hone_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Status *hone_mpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
static inline void *hone_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int hone_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
#endif
