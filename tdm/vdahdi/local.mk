# vdahdi: the virtual DAHDI (FUSE)
noinst_LIBRARIES += tdm/vdahdi/libvdahdi.a
tdm_vdahdi_libvdahdi_a_SOURCES = \
	tdm/vdahdi/vdahdi.h tdm/vdahdi/g711.h \
	tdm/vdahdi/bchan.c tdm/vdahdi/clock.c tdm/vdahdi/dchan.c \
	tdm/vdahdi/event.c tdm/vdahdi/fault.c tdm/vdahdi/fcs.c \
	tdm/vdahdi/fs.c tdm/vdahdi/io.c tdm/vdahdi/ioctl.c \
	tdm/vdahdi/ring.c tdm/vdahdi/span.c
tdm_vdahdi_libvdahdi_a_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS) $(SPANDSP_CFLAGS)

bin_PROGRAMS += tdm/vdahdi/vdahdi
tdm_vdahdi_vdahdi_SOURCES = tdm/vdahdi/main.c
tdm_vdahdi_vdahdi_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS)
tdm_vdahdi_vdahdi_LDADD = tdm/vdahdi/libvdahdi.a $(FUSE3_LIBS) $(SPANDSP_LIBS)
