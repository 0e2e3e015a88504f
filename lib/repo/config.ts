import { getPrisma } from "@/lib/db/client";

export async function listConnectedSystems() {
  const prisma = await getPrisma();
  return prisma.connectedSystem.findMany({
    orderBy: { id: "asc" },
    include: { objectTypes: { orderBy: { name: "asc" } }, runProfiles: { orderBy: { id: "asc" } } },
  });
}

export async function listSchedules() {
  const prisma = await getPrisma();
  return prisma.schedule.findMany({
    orderBy: { id: "asc" },
    include: {
      steps: {
        orderBy: { position: "asc" },
        include: { runProfile: { include: { connectedSystem: { select: { id: true, name: true } } } } },
      },
    },
  });
}

export async function findConnectedSystem(id: number) {
  const prisma = await getPrisma();
  return prisma.connectedSystem.findUnique({ where: { id }, select: { id: true, name: true } });
}

export async function findRunProfile(id: number) {
  const prisma = await getPrisma();
  return prisma.runProfile.findUnique({
    where: { id },
    select: { id: true, name: true, runType: true, connectedSystemId: true },
  });
}

export async function findSchedule(id: number) {
  const prisma = await getPrisma();
  return prisma.schedule.findUnique({ where: { id }, select: { id: true, name: true } });
}
